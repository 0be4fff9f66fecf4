// Accept and consent / Decline, called as Bolt calls them, with plain objects for Slack's side.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buttonPress, type HandlerHarness, handlerHarness } from '../../../test/support/bolt-fakes.ts';
import { termsButtonValue } from '../../blocks/messages.ts';
import { acceptTerms } from './accept-terms.ts';
import { declineTerms } from './decline-terms.ts';

let h: HandlerHarness;
beforeEach(async () => {
  h = await handlerHarness();
});
afterEach(() => h.close());

async function termsVersion(): Promise<string> {
  const token = await h.tenant.token({ email: 'ada@contoso.com' });
  return (await h.tenant.gql('{ termsOfService { version } }', {}, token)).body.data.termsOfService.version;
}

const press = (user: string, value: string, options: { ephemeral?: boolean } = {}) => buttonPress(user, value, options);

describe('acceptTerms', () => {
  it('lets only the requester accept, and tells anyone else who can', async () => {
    const portalId = await h.requestPortal();
    const pressed = press('U0GRACE', termsButtonValue(portalId, 'U0ADA', await termsVersion()));
    await acceptTerms(h.deps, pressed.args);
    expect(pressed.acks).toHaveLength(1);
    expect(pressed.calls).toEqual([{ method: 'chat.postEphemeral', args: { channel: 'C0PORTALS', user: 'U0GRACE', text: 'Only <@U0ADA> can accept the terms of service of this portal.' } }]);
  });

  it('replaces the terms message with the answer once the requester accepts', async () => {
    const portalId = await h.requestPortal();
    const pressed = press('U0ADA', termsButtonValue(portalId, 'U0ADA', await termsVersion()));
    await acceptTerms(h.deps, pressed.args);
    expect(pressed.calls.map((c) => c.method)).toEqual(['chat.update']);
    expect(pressed.calls[0]?.args).toMatchObject({ channel: 'C0PORTALS', ts: '1700000000.000100', text: 'Contoso Partners-Configuring: terms accepted' });
  });

  it('accepts nothing when the message shows older terms, and shows the new version to answer', async () => {
    const portalId = await h.requestPortal();
    const pressed = press('U0ADA', termsButtonValue(portalId, 'U0ADA', 'an-old-version'));
    await acceptTerms(h.deps, pressed.args);
    const version = await termsVersion();
    expect(pressed.calls.map((c) => c.method)).toEqual(['chat.update']);
    expect(pressed.calls[0]?.args.text).toBe(`Contoso Partners: the terms of service changed; read version ${version}`);
    expect(JSON.stringify(pressed.calls[0]?.args.blocks)).toContain('Nothing was accepted');
  });
});

describe('declineTerms', () => {
  it('replaces an ephemeral status card through its response_url', async () => {
    const portalId = await h.requestPortal();
    const pressed = press('U0ADA', termsButtonValue(portalId, 'U0ADA', await termsVersion()), { ephemeral: true });
    await declineTerms(h.deps, pressed.args);
    expect(pressed.calls).toEqual([]);
    expect(pressed.responses).toHaveLength(1);
    expect(pressed.responses[0]).toMatchObject({ replace_original: true, response_type: 'ephemeral', text: 'Contoso Partners: terms declined' });
  });

  it('tells the requester why accepting after declining is refused, and leaves the message', async () => {
    const portalId = await h.requestPortal();
    const value = termsButtonValue(portalId, 'U0ADA', await termsVersion());
    await declineTerms(h.deps, press('U0ADA', value).args);
    const again = press('U0ADA', value);
    await acceptTerms(h.deps, again.args);
    expect(again.calls).toEqual([
      { method: 'chat.postEphemeral', args: { channel: 'C0PORTALS', user: 'U0ADA', text: 'The terms of this portal can no longer be accepted: it is declined.' } },
    ]);
  });

  it('ignores a button whose value is not a terms button', async () => {
    const pressed = press('U0ADA', 'not json');
    await declineTerms(h.deps, pressed.args);
    expect(pressed.acks).toHaveLength(1);
    expect(pressed.calls).toEqual([]);
  });
});
