// The custom domain modal's submission: a new or existing host name, and a new .pfx (downloaded from
// Slack) or an existing certificate. Problems show under their blocks; the CNAME to create follows
// in a message where the modal was opened.
import { cnameInstructions, DOMAIN_BLOCK, domainBlockForField } from '../../blocks/domain.ts';
import { modalErrors } from '../../blocks/field-errors.ts';
import { type BotDeps, errorText } from '../../context.ts';
import { FileRefused } from '../../files.ts';
import type { BotAddCustomDomainMutation } from '../../gql/graphql.ts';
import { AddCustomDomainMutation } from '../../operations.ts';
import { ackThenTakeTurn } from '../../turns.ts';
import type { SubmissionArgs } from '../args.ts';

type UploadedFile = { name?: string; url_private_download?: string; url_private?: string; size?: number };
type Values = Record<string, Record<string, { value?: string | null; selected_option?: { value: string } | null; files?: UploadedFile[] }>>;
type Outcome = BotAddCustomDomainMutation['addCustomDomain'];
type Meta = { portalId?: string; channelId?: string | null };
type Certificate = { name: string; pfxBase64: string; password: string };

const field = (values: Values, block: string) => {
  const state = Object.values(values?.[block] ?? {})[0];
  return state && typeof state === 'object' ? state : undefined;
};
const text = (value: unknown) => (typeof value === 'string' ? value : undefined);

function readMeta(privateMetadata: string): Meta {
  try {
    return JSON.parse(privateMetadata || '{}') ?? {};
  } catch {
    return {};
  }
}

export async function domainSubmission(deps: BotDeps, { ack, view, body, client }: SubmissionArgs): Promise<void> {
  const meta = readMeta(view.private_metadata);
  const values = view.state.values as unknown as Values;
  const certificate = await uploadedCertificate(deps, values);
  if (typeof certificate === 'string') return void (await ack({ response_action: 'errors', errors: { [DOMAIN_BLOCK.file]: certificate } }));
  let outcome: Outcome;
  try {
    const input = {
      portalId: meta.portalId ?? '',
      hostname: text(field(values, DOMAIN_BLOCK.hostname)?.value)?.trim() || undefined,
      hostnameId: text(field(values, DOMAIN_BLOCK.existingHostname)?.selected_option?.value),
      certificateId: text(field(values, DOMAIN_BLOCK.existingCertificate)?.selected_option?.value),
      certificate,
    };
    outcome = (await deps.api.run({ slackUserId: body.user.id }, AddCustomDomainMutation, { input })).addCustomDomain;
  } catch (error) {
    return void (await ack({ response_action: 'errors', errors: { [DOMAIN_BLOCK.hostname]: errorText(deps, error) } }));
  }
  if (outcome.__typename !== 'CustomDomainPayload') return void (await ack({ response_action: 'errors', errors: refusal(outcome, view.blocks) }));
  await ackThenTakeTurn(ack);
  try {
    const said = [outcome.notice, `${outcome.customDomain.message} ${outcome.customDomain.cnameRecord}`].filter(Boolean).join(' ');
    await client.chat.postMessage({ channel: meta.channelId ?? body.user.id, text: said, blocks: cnameInstructions(outcome.customDomain, outcome.notice) });
  } catch (error) {
    deps.log.error({ err: error }, 'could not post the CNAME instructions');
  }
}

/** The uploaded .pfx, none, or why it could not be read (shown under the file block). */
async function uploadedCertificate(deps: BotDeps, values: Values): Promise<Certificate | undefined | string> {
  const files = field(values, DOMAIN_BLOCK.file)?.files;
  const file = Array.isArray(files) && files[0] && typeof files[0] === 'object' ? files[0] : undefined;
  if (!file) return undefined;
  try {
    const bytes = await deps.fetchFile(file);
    const name = text(field(values, DOMAIN_BLOCK.certificateName)?.value)?.trim() || text(file.name)?.replace(/\.(pfx|p12)$/i, '') || 'certificate';
    return { name, pfxBase64: bytes.toString('base64'), password: text(field(values, DOMAIN_BLOCK.password)?.value) ?? '' };
  } catch (error) {
    return error instanceof FileRefused ? error.message : errorText(deps, error);
  }
}

/** The errors answer of a refusal: field problems under their blocks (or the nearest one shown), else under the host name. */
function refusal(outcome: Exclude<Outcome, { __typename: 'CustomDomainPayload' }>, blocks: ReadonlyArray<{ block_id?: string }>): Record<string, string> {
  if (outcome.__typename !== 'ValidationError') return { [DOMAIN_BLOCK.hostname]: outcome.message };
  const present = new Set(blocks.map((b) => b.block_id));
  const blockFor = (name: string) => {
    const block = domainBlockForField(name);
    if (present.has(block)) return block;
    return name.startsWith('certificate') ? DOMAIN_BLOCK.file : DOMAIN_BLOCK.hostname;
  };
  return modalErrors(outcome.fields, blockFor);
}
