// The provision and custom domain modals' submissions, called as Bolt calls the handlers, with plain
// objects for Slack's side, over a real test tenant. (The answer after Slack's deadline is covered
// end to end in test/slack-deadline.test.ts.)
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fakeClient, type HandlerHarness, handlerHarness, recorder } from '../../../test/support/bolt-fakes.ts';
import { submission } from '../../../test/support/slack-flows.ts';
import { instanceId, userId } from '../../../test/support/tenant.ts';
import { DOMAIN_BLOCK, DOMAIN_CALLBACK } from '../../blocks/domain.ts';
import { provisionModal } from '../../blocks/provision-modal.ts';
import type { SubmissionArgs } from '../args.ts';
import { domainSubmission } from './domain-submission.ts';
import { provisionSubmission } from './provision-submission.ts';

let h: HandlerHarness;
beforeEach(async () => {
  h = await handlerHarness();
});
afterEach(() => h.close());

async function provisionSubmit(subdomain: string) {
  const form = await h.deps.provisionForm({ slackUserId: 'U0ADA' });
  const view = provisionModal(form, { instanceId: instanceId('contoso-field'), audience: 'PARTNER', portalType: 'PARTNER' }, { channelId: 'C0PORTALS' });
  const values = {
    name: 'Contoso Partners',
    subdomain,
    instance: instanceId('contoso-field'),
    language: 'en-US',
    administrator: userId('margaret'),
    audience: 'PARTNER',
    portalType: 'PARTNER',
  };
  const body = submission({ ...view, id: 'V0MODAL' } as never, 'U0ADA', values);
  const ack = recorder();
  const { client, calls } = fakeClient();
  return { args: { ack: ack.fn, view: body.view, body, client } as unknown as SubmissionArgs, acks: ack.calls, calls };
}

describe('provisionSubmission', () => {
  it('shows each problem under its field and posts nothing', async () => {
    const submitted = await provisionSubmit('support');
    await provisionSubmission(h.deps, submitted.args);
    expect(submitted.acks).toHaveLength(1);
    expect(submitted.acks[0]).toMatchObject({ response_action: 'errors', errors: { subdomain: expect.stringContaining('support') } });
    expect(submitted.calls).toEqual([]);
  });

  it('closes the modal and posts the terms where the request was made', async () => {
    const submitted = await provisionSubmit('contoso-partners');
    await provisionSubmission(h.deps, submitted.args);
    expect(submitted.acks).toEqual([null]);
    const posted = submitted.calls.filter((c) => c.method === 'chat.postMessage');
    expect(posted).toHaveLength(1);
    expect(posted[0]?.args.channel).toBe('C0PORTALS');
    expect(JSON.stringify(posted[0]?.args.blocks)).toContain('terms_accept');
  });
});

function domainSubmit(portalId: string, values: Record<string, unknown>) {
  const state = Object.fromEntries(Object.entries(values).map(([block, value]) => [block, { value }]));
  const view = {
    id: 'V0DOMAIN',
    callback_id: DOMAIN_CALLBACK,
    private_metadata: JSON.stringify({ portalId, channelId: 'C0PORTALS' }),
    blocks: Object.values(DOMAIN_BLOCK).map((block_id) => ({ block_id })),
    state: { values: state },
  };
  const ack = recorder();
  const { client, calls } = fakeClient();
  const args = { ack: ack.fn, view, body: { type: 'view_submission', user: { id: 'U0ADA' }, view }, client } as unknown as SubmissionArgs;
  return { args, acks: ack.calls, calls };
}

describe('domainSubmission', () => {
  it('says under the host name why a portal that is not provisioned gets no domain', async () => {
    const portalId = await h.requestPortal();
    const submitted = domainSubmit(portalId, { [DOMAIN_BLOCK.hostname]: { type: 'plain_text_input', value: 'support.contoso.com' } });
    await domainSubmission(h.deps, submitted.args);
    expect(submitted.acks).toEqual([{ response_action: 'errors', errors: { [DOMAIN_BLOCK.hostname]: expect.stringMatching(/^Only a provisioned portal can have a custom domain/) } }]);
    expect(submitted.calls).toEqual([]);
  });

  it('says under the file why an uploaded file was refused, before asking the API', async () => {
    const submitted = domainSubmit('nonsense', { [DOMAIN_BLOCK.file]: { type: 'file_input', files: [{ name: 'site.pfx', url_private: 'https://elsewhere.test/f' }] } });
    await domainSubmission(h.deps, submitted.args);
    expect(submitted.acks).toEqual([{ response_action: 'errors', errors: { [DOMAIN_BLOCK.file]: 'This file does not come from Slack.' } }]);
  });

  it('puts a field problem whose block is not in the modal under the host name', async () => {
    const submitted = domainSubmit('nonsense', {});
    await domainSubmission(h.deps, submitted.args);
    const errors = submitted.acks[0]?.errors ?? {};
    expect(submitted.acks[0]?.response_action).toBe('errors');
    expect(errors[DOMAIN_BLOCK.hostname]).toContain('This is not the ID of a portal.');
  });
});
