// Drives portals through their lifecycle over GraphQL, for tests that are about one step of it.
import { expect } from 'vitest';
import { CURRENT_TERMS_VERSION } from '../../core/terms.ts';
import { portalInput, REQUEST_PORTAL, type TestTenant } from './tenant.ts';
import { eventually } from './wait.ts';
import type { WireJson } from './wire-json.ts';

export const PORTAL_STATE = /* GraphQL */ `
  query State($id: ID!) {
    portal(id: $id) {
      id name displayName status resourceStatus packageStatus statusMessage urlServes lastError allowedActions attempt
      subdomain language termsVersion termsAcceptedAt termsAcceptedBy { email } consentGrantedAt provisionedAt
    }
    events(portalId: $id, first: 100) { nodes { sequence type message actor data } }
  }
`;

const RESULT = `__typename ... on PortalPayload { portal { id displayName status resourceStatus packageStatus } } ... on ValidationError { fields { field message } } ... on Error { message }`;

export const MUTATIONS = {
  accept: `mutation($input: AcceptPortalTermsInput!) { result: acceptPortalTerms(input: $input) { ${RESULT} } }`,
  consent: `mutation($input: PortalIdInput!) { result: grantPortalConsent(input: $input) { ${RESULT} } }`,
  decline: `mutation($input: PortalIdInput!) { result: declinePortalTerms(input: $input) { ${RESULT} } }`,
  restart: `mutation($input: PortalIdInput!) { result: restartProvisioning(input: $input) { ${RESULT} } }`,
  retry: `mutation($input: PortalIdInput!) { result: retryPackageInstall(input: $input) { ${RESULT} } }`,
  update: `mutation($input: UpdatePortalAndRestartInput!) { result: updatePortalAndRestart(input: $input) { ${RESULT} } }`,
  rename: `mutation($input: RenamePortalInput!) { result: renamePortal(input: $input) { ${RESULT} } }`,
};

export class PortalDriver {
  constructor(
    readonly tenant: TestTenant,
    readonly token: string,
  ) {}

  async request(overrides: Record<string, unknown> = {}): Promise<string> {
    const { body } = await this.tenant.gql(REQUEST_PORTAL, { input: portalInput(overrides) }, this.token);
    expect(body.data?.requestPortal.__typename, JSON.stringify(body)).toBe('PortalPayload');
    return body.data.requestPortal.portal.id;
  }

  async mutate(name: keyof typeof MUTATIONS, input: Record<string, unknown>, token = this.token) {
    const { body } = await this.tenant.gql(MUTATIONS[name], { input }, token);
    expect(body.errors, JSON.stringify(body.errors)).toBeUndefined();
    return body.data.result;
  }

  accept(portalId: string, options: { consent?: boolean; token?: string; version?: string } = {}) {
    return this.mutate('accept', { portalId, termsVersion: options.version ?? CURRENT_TERMS_VERSION, consent: options.consent ?? true }, options.token);
  }

  async state(portalId: string) {
    const { body } = await this.tenant.gql(PORTAL_STATE, { id: portalId }, this.token);
    expect(body.errors, JSON.stringify(body.errors)).toBeUndefined();
    return { ...body.data.portal, events: body.data.events.nodes as Array<{ sequence: number; type: string; message: string; actor: string; data: WireJson }> };
  }

  /** Waits until the portal reaches `status` (the poller works in the background). */
  async until(portalId: string, status: string, timeoutMs = 10_000) {
    let last: Awaited<ReturnType<PortalDriver['state']>> | undefined;
    const stayed = () => {
      const { events = [], ...portal } = last ?? {};
      return `the portal stayed ${last?.status}: ${JSON.stringify(portal)} after ${eventTypes({ events }).join(', ')}`;
    };
    const reached = await eventually(
      async () => {
        last = await this.state(portalId);
        return last.status === status && last;
      },
      timeoutMs,
      `status ${status}`,
      { intervalMs: 25, describe: stayed },
    );
    // The portal and its events are two reads, which on PostgreSQL run side by side on two connections:
    // the poller's write can land between them, leaving the events a step behind the status. Read
    // again, now that the status is in: the events then hold everything up to it.
    const again = await this.state(portalId);
    return again.status === status ? again : reached;
  }
}

export function eventTypes(state: { events: Array<{ type: string }> }): string[] {
  return state.events.map((e) => e.type);
}
