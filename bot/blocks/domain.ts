// The custom domain modal, the CNAME instructions with Check now, and the domain alert.
import type { InputBlock, KnownBlock, View } from '@slack/types';
import type { BotDomainFormQuery } from '../gql/graphql.ts';
import { ACTION, button, context, escapeMrkdwn, LIMITS, option, plain, truncate } from './common.ts';

export const DOMAIN_CALLBACK = 'custom_domain';

export const DOMAIN_BLOCK = {
  hostname: 'hostname_new',
  existingHostname: 'hostname_existing',
  file: 'certificate_file',
  password: 'certificate_password',
  certificateName: 'certificate_name',
  existingCertificate: 'certificate_existing',
} as const;

/** Which block shows the problem of each API field. */
export function domainBlockForField(field: string): string {
  switch (field) {
    case 'hostnameId':
      return DOMAIN_BLOCK.existingHostname;
    case 'certificateId':
      return DOMAIN_BLOCK.existingCertificate;
    case 'certificateName':
      return DOMAIN_BLOCK.certificateName;
    case 'certificate':
      return DOMAIN_BLOCK.file;
    default:
      return DOMAIN_BLOCK.hostname;
  }
}

function hostnameBlocks(form: BotDomainFormQuery): KnownBlock[] {
  const freeHostnames = form.hostnames.filter((h) => !h.inUse);
  const blocks: KnownBlock[] = [
    {
      type: 'input',
      block_id: DOMAIN_BLOCK.hostname,
      optional: true,
      label: plain('Add a new host name'),
      hint: plain('For example support.contoso.com. You will create a CNAME from it to the portal URL.', 150),
      element: { type: 'plain_text_input', action_id: 'value', max_length: 253 },
    },
  ];
  if (freeHostnames.length === 0) return blocks;
  const options = freeHostnames.slice(0, LIMITS.optionsPerMenu).map((h) => option(h.name, h.id));
  blocks.push({
    type: 'input',
    block_id: DOMAIN_BLOCK.existingHostname,
    optional: true,
    label: plain('…or use an existing host name'),
    element: { type: 'static_select', action_id: 'value', placeholder: plain('Choose a host name'), options },
  });
  return blocks;
}

function certificateBlocks(form: BotDomainFormQuery): KnownBlock[] {
  const optionalInput = (blockId: string, label: string, element: InputBlock['element'], hint?: string): InputBlock => ({
    type: 'input',
    block_id: blockId,
    optional: true,
    label: plain(label),
    ...(hint ? { hint: plain(hint, 150) } : {}),
    element,
  });
  const blocks: KnownBlock[] = [
    optionalInput(DOMAIN_BLOCK.file, 'Upload a new certificate (.pfx)', { type: 'file_input', action_id: 'value', filetypes: ['pfx', 'p12'], max_files: 1 }),
    optionalInput(DOMAIN_BLOCK.password, 'Password of the .pfx', { type: 'plain_text_input', action_id: 'value', max_length: 200 }, 'Used once to open the file; never stored.'),
    optionalInput(DOMAIN_BLOCK.certificateName, 'Name of the new certificate', { type: 'plain_text_input', action_id: 'value', max_length: 100 }),
  ];
  if (form.certificates.length === 0) return blocks;
  const options = form.certificates.slice(0, LIMITS.optionsPerMenu).map((c) => option(`${c.name} (${c.sans.slice(0, 3).join(', ')}; until ${c.notAfter.slice(0, 10)})`, c.id));
  blocks.push(
    optionalInput(DOMAIN_BLOCK.existingCertificate, '…or use an existing certificate', { type: 'static_select', action_id: 'value', placeholder: plain('Choose a certificate'), options }),
  );
  return blocks;
}

export function domainModal(form: BotDomainFormQuery, meta: { portalId: string; channelId: string | null }): View {
  return {
    type: 'modal',
    callback_id: DOMAIN_CALLBACK,
    title: plain('Add a custom domain', LIMITS.modalTitle),
    submit: plain('Next', 24),
    close: plain('Cancel', 24),
    private_metadata: JSON.stringify(meta),
    blocks: [
      context(`Add the custom domain of *${escapeMrkdwn(form.portal?.displayName ?? '')}*. Only one custom domain can be added to a portal.`),
      ...hostnameBlocks(form),
      ...certificateBlocks(form),
    ],
  };
}

/** The reply after adding: what happened besides (a certificate stored already), the exact record to create, and Check now. */
export function cnameInstructions(domain: { id: string; hostname: string; cnameRecord: string; message: string | null }, notice?: string | null): KnownBlock[] {
  return [
    ...(notice ? [context(escapeMrkdwn(notice))] : []),
    {
      type: 'section',
      text: {
        type: 'mrkdwn',
        text: truncate(`${escapeMrkdwn(domain.message ?? '')}\nCreate this record with your DNS provider:\n\`\`\`${domain.cnameRecord}\`\`\``, LIMITS.sectionText),
      },
    },
    context('It is checked each minute for the first hour, then less often; progress is posted in the portal’s thread.'),
    { type: 'actions', block_id: 'domain_actions', elements: [button('Check now', ACTION.checkDomain, domain.id, 'primary')] },
  ];
}

/** An alert about a custom domain (gave up waiting for the CNAME, binding failed), with Check now. */
export function domainAlert(message: string, domainId: string | undefined): KnownBlock[] {
  return [
    { type: 'section', text: { type: 'mrkdwn', text: truncate(`:rotating_light: ${escapeMrkdwn(message)}`, LIMITS.sectionText) } },
    ...(domainId ? [{ type: 'actions' as const, block_id: 'domain_actions', elements: [button('Check now', ACTION.checkDomain, domainId, 'primary')] }] : []),
  ];
}
