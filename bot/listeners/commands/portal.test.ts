// /portal and its subcommands, called as Bolt calls the handler, with plain objects for Slack's side.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fakeClient, type HandlerHarness, handlerHarness, parsedView, recorder } from '../../../test/support/bolt-fakes.ts';
import type { CommandArgs } from '../args.ts';
import { portalCommand } from './portal.ts';

let h: HandlerHarness;
beforeEach(async () => {
  h = await handlerHarness();
});
afterEach(() => h.close());

async function run(text: string, user = 'U0ADA') {
  const ack = recorder();
  const respond = recorder();
  const { client, calls } = fakeClient();
  const command = { command: '/portal', text, user_id: user, channel_id: 'C0PORTALS', trigger_id: 'T-trigger' };
  await portalCommand(h.deps, { ack: ack.fn, respond: respond.fn, client, command } as unknown as CommandArgs);
  expect(ack.calls).toHaveLength(1);
  return { replies: respond.calls, calls };
}

describe('portalCommand', () => {
  it('answers help, and an unknown word with help, shown as written', async () => {
    expect((await run('')).replies[0]).toMatchObject({ response_type: 'ephemeral', text: 'Portal commands' });
    expect((await run('<!here>')).replies[0].text).toBe('I don\'t know "&lt;!here&gt;". Here is what I can do:');
  });

  it('opens the provision modal for a Global Administrator, in the channel it was typed in', async () => {
    const { replies, calls } = await run('provision');
    expect(replies).toEqual([]);
    expect(calls.map((c) => c.method)).toEqual(['views.open']);
    expect(JSON.parse(parsedView(calls[0]?.args).private_metadata)).toMatchObject({ channelId: 'C0PORTALS' });
  });

  it('tells someone who is not a Global Administrator who can provision', async () => {
    const { replies, calls } = await run('provision', 'U0KEN');
    expect(calls).toEqual([]);
    expect(replies[0].text).toMatch(/^Only a Global Administrator can provision a portal, and ken@contoso.com is not one/);
  });

  it('asks which portal when status, restart or domain lack one, and says when none has the subdomain', async () => {
    expect((await run('status')).replies[0].text).toBe('Which portal? `/portal status &lt;subdomain&gt;`');
    expect((await run('restart')).replies[0].text).toBe('Which portal? `/portal restart &lt;subdomain&gt;`');
    expect((await run('domain')).replies[0].text).toBe('Which portal? `/portal domain &lt;subdomain&gt;`');
    expect((await run('status nowhere')).replies[0].text).toBe('No portal has the subdomain nowhere.');
  });

  it('lists portals and shows the terms to their requester in status', async () => {
    await h.requestPortal();
    expect((await run('list')).replies[0].text).toBe('1 portal(s)');
    const status = (await run('status contoso-partners')).replies[0];
    expect(status.text).toBe('Contoso Partners: accept the terms of service to start provisioning');
    expect(JSON.stringify(status.blocks)).toContain('terms_accept');
  });

  it('says why a portal that is not provisioned gets no custom domain', async () => {
    await h.requestPortal();
    const { replies, calls } = await run('domain contoso-partners');
    expect(calls).toEqual([]);
    expect(replies[0].text).toMatch(/^Only a provisioned portal can have a custom domain/);
  });
});
