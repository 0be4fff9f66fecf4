// The lifecycle mutations: terms and consent, restart, change values and restart, retry install.
import { acceptPortalTerms, declinePortalTerms, grantPortalConsent, restartProvisioning, retryPackageInstall, updatePortalAndRestart } from '../../core/provisioning.ts';
import { currentTerms } from '../../core/terms.ts';
import { builder } from '../builder.ts';
import { decodeIdOf, requireRowId } from '../ids.ts';
import { AddOnEnum, AudienceEnum, PortalTypeEnum } from './enums.ts';
import { MUTATION_ERRORS } from './errors.ts';
import { PortalPayload } from './portal.ts';

const TermsRef = builder.objectRef<{ version: string; text: string }>('TermsOfService').implement({
  fields: (t) => ({
    version: t.exposeString('version', { description: 'Pass this to acceptPortalTerms.' }),
    text: t.exposeString('text', { description: 'Markdown.' }),
  }),
});

builder.queryField('termsOfService', (t) => t.field({ type: TermsRef, resolve: () => currentTerms() }));

const PortalIdInput = builder.inputType('PortalIdInput', { fields: (t) => ({ portalId: t.id({ required: true }) }) });

const AcceptPortalTermsInput = builder.inputType('AcceptPortalTermsInput', {
  fields: (t) => ({
    portalId: t.id({ required: true }),
    termsVersion: t.string({ required: true, description: 'The version of termsOfService that was read.' }),
    consent: t.boolean({ required: false, description: 'Also give consent, which starts provisioning.' }),
  }),
});

const UpdatePortalAndRestartInput = builder.inputType('UpdatePortalAndRestartInput', {
  description: 'The values to change; those left out keep their current value.',
  fields: (t) => ({
    portalId: t.id({ required: true }),
    name: t.string(),
    subdomain: t.string(),
    instanceId: t.id(),
    language: t.string(),
    administratorId: t.id(),
    audience: t.field({ type: AudienceEnum }),
    portalType: t.field({ type: PortalTypeEnum }),
    addOns: t.field({ type: [AddOnEnum] }),
  }),
});

/** Decodes the portal ID of an input, or throws a ValidationError naming the field. */
function portalIdOf(input: { portalId: string | number }): number {
  return requireRowId('Portal', input.portalId, 'portalId');
}

builder.mutationFields((t) => ({
  acceptPortalTerms: t.field({
    type: PortalPayload,
    description: 'The requester accepts the terms of service (and, with consent: true, consents at once).',
    args: { input: t.arg({ type: AcceptPortalTermsInput, required: true }) },
    errors: { types: MUTATION_ERRORS },
    resolve: async (_root, { input }, ctx) => ({
      portal: await acceptPortalTerms(ctx, ctx.actor, portalIdOf(input), input.termsVersion, { consent: input.consent ?? false }),
    }),
  }),
  grantPortalConsent: t.field({
    type: PortalPayload,
    description: 'The requester consents to sign-in after accepting the terms; provisioning starts.',
    args: { input: t.arg({ type: PortalIdInput, required: true }) },
    errors: { types: MUTATION_ERRORS },
    resolve: async (_root, { input }, ctx) => ({ portal: await grantPortalConsent(ctx, ctx.actor, portalIdOf(input)) }),
  }),
  declinePortalTerms: t.field({
    type: PortalPayload,
    description: 'The requester declines the terms: the portal is not provisioned and frees its license.',
    args: { input: t.arg({ type: PortalIdInput, required: true }) },
    errors: { types: MUTATION_ERRORS },
    resolve: async (_root, { input }, ctx) => ({ portal: await declinePortalTerms(ctx, ctx.actor, portalIdOf(input)) }),
  }),
  restartProvisioning: t.field({
    type: PortalPayload,
    description: 'Restart Provisioning of a failed portal with the configuration it has.',
    args: { input: t.arg({ type: PortalIdInput, required: true }) },
    errors: { types: MUTATION_ERRORS },
    resolve: async (_root, { input }, ctx) => ({ portal: await restartProvisioning(ctx, ctx.actor, portalIdOf(input)) }),
  }),
  retryPackageInstall: t.field({
    type: PortalPayload,
    description: 'Retries a failed package installation (after fixing its cause, such as the default language).',
    args: { input: t.arg({ type: PortalIdInput, required: true }) },
    errors: { types: MUTATION_ERRORS },
    resolve: async (_root, { input }, ctx) => ({ portal: await retryPackageInstall(ctx, ctx.actor, portalIdOf(input)) }),
  }),
  updatePortalAndRestart: t.field({
    type: PortalPayload,
    description: 'Change Values and Restart Provisioning: the new values pass the same checks as requestPortal.',
    args: { input: t.arg({ type: UpdatePortalAndRestartInput, required: true }) },
    errors: { types: MUTATION_ERRORS },
    resolve: async (_root, { input }, ctx) => {
      const { portalId, instanceId, administratorId, ...rest } = input;
      return {
        portal: await updatePortalAndRestart(ctx, ctx.actor, portalIdOf({ portalId }), {
          ...rest,
          ...(instanceId ? { instanceId: decodeIdOf('Instance', instanceId) ?? '' } : {}),
          ...(administratorId ? { administratorId: decodeIdOf('DirectoryUser', administratorId) ?? '' } : {}),
        }),
      };
    },
  }),
}));
