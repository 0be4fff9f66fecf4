// Restart Provisioning, Retry installation, Change Values and Check now, called as Bolt calls them,
// with plain objects for Slack's side, over a real test tenant.
import { encodeGlobalID } from '@pothos/plugin-relay';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CURRENT_TERMS_VERSION } from '../../../core/terms.ts';
import { buttonPress, type HandlerHarness, handlerHarness, parsedView } from '../../../test/support/bolt-fakes.ts';
import { PortalDriver } from '../../../test/support/lifecycle.ts';
import type { WireJson } from '../../../test/support/wire-json.ts';
import { changeValues } from './change-values.ts';
import { checkDomain } from './check-domain.ts';
import { restartProvisioning } from './restart-provisioning.ts';
import { retryInstall } from './retry-install.ts';

let h: HandlerHarness;
beforeEach(async () => {
  h = await handlerHarness();
});
afterEach(() => h.close());

/** A portal of ada's that failed at `status` (the sample tenant's faults fail these subdomains once). */
async function failedPortal(subdomain: string, status: string): Promise<string> {
  const driver = new PortalDriver(h.tenant, await h.tenant.token({ email: 'ada@contoso.com' }));
  const id = await h.requestPortal({ subdomain });
  await driver.mutate('accept', { portalId: id, termsVersion: CURRENT_TERMS_VERSION, consent: true });
  await driver.until(id, status);
  return id;
}

describe('restartProvisioning', () => {
  it('restarts a failed portal, tells the user and redraws the card without its buttons', async () => {
    const id = await failedPortal('flaky-portal', 'PROVISIONING_FAILED');
    const pressed = buttonPress('U0ADA', id);
    await restartProvisioning(h.deps, pressed.args);
    expect(pressed.acks).toHaveLength(1);
    expect(pressed.calls.map((c) => c.method)).toEqual(['chat.postEphemeral', 'chat.update']);
    expect(pressed.calls[0]?.args.text).toMatch(/^Provisioning restarted: Contoso Partners/);
    expect(pressed.calls[1]?.args).toMatchObject({ channel: 'C0PORTALS', ts: '1700000000.000100' });
  });

  it('tells the presser alone why a portal that has not failed cannot restart', async () => {
    const id = await h.requestPortal();
    const pressed = buttonPress('U0ADA', id);
    await restartProvisioning(h.deps, pressed.args);
    expect(pressed.calls.map((c) => c.method)).toEqual(['chat.postEphemeral']);
    expect(pressed.calls[0]?.args.user).toBe('U0ADA');
  });

  it('still tells the user of the restart when the card cannot be redrawn', async () => {
    const id = await failedPortal('flaky-portal', 'PROVISIONING_FAILED');
    const pressed = buttonPress('U0ADA', id, {
      answers: {
        'chat.update': () => {
          throw new Error('message_not_found');
        },
      },
    });
    await restartProvisioning(h.deps, pressed.args);
    expect(pressed.calls.map((c) => c.method)).toEqual(['chat.postEphemeral', 'chat.update']);
  });
});

describe('retryInstall', () => {
  it('retries a failed installation from an ephemeral card, replacing it through its response_url', async () => {
    const id = await failedPortal('flaky-package', 'PROVISIONING_FAILED');
    const pressed = buttonPress('U0ADA', id, { ephemeral: true });
    await retryInstall(h.deps, pressed.args);
    expect(pressed.calls).toEqual([]);
    expect(pressed.responses[0]).toMatchObject({ replace_original: true, response_type: 'ephemeral' });
    expect(pressed.responses[0].text).toMatch(/^Installation retried: /);
  });

  it('says a malformed portal ID is not one', async () => {
    const pressed = buttonPress('U0ADA', 'nonsense');
    await retryInstall(h.deps, pressed.args);
    expect(pressed.calls).toEqual([{ method: 'chat.postEphemeral', args: { channel: 'C0PORTALS', user: 'U0ADA', text: 'This is not the ID of a portal.' } }]);
  });
});

describe('changeValues', () => {
  it('opens the provision modal filled with the portal’s values, to restart with new ones', async () => {
    const id = await failedPortal('flaky-portal', 'PROVISIONING_FAILED');
    const pressed = buttonPress('U0ADA', id);
    await changeValues(h.deps, pressed.args);
    expect(pressed.calls.map((c) => c.method)).toEqual(['views.open']);
    expect(pressed.calls[0]?.args.trigger_id).toBe('T-trigger');
    const view = parsedView(pressed.calls[0]?.args);
    expect(view.title.text).toBe('Change portal values');
    expect(view.blocks.find((b: WireJson) => b.block_id === 'subdomain').element.initial_value).toBe('flaky-portal');
    expect(JSON.parse(view.private_metadata)).toMatchObject({ channelId: 'C0PORTALS', portalId: id });
  });

  it('says when the portal no longer exists', async () => {
    const pressed = buttonPress('U0ADA', encodeGlobalID('Portal', 9999));
    await changeValues(h.deps, pressed.args);
    expect(pressed.calls).toEqual([{ method: 'chat.postEphemeral', args: { channel: 'C0PORTALS', user: 'U0ADA', text: 'This portal no longer exists.' } }]);
  });
});

describe('checkDomain', () => {
  it('answers the presser alone with the API’s refusal', async () => {
    const pressed = buttonPress('U0ADA', 'nonsense');
    await checkDomain(h.deps, pressed.args);
    expect(pressed.acks).toHaveLength(1);
    expect(pressed.calls).toEqual([{ method: 'chat.postEphemeral', args: { channel: 'C0PORTALS', user: 'U0ADA', text: 'This is not the ID of a custom domain.' } }]);
  });

  it('says when a domain does not exist', async () => {
    const pressed = buttonPress('U0ADA', encodeGlobalID('CustomDomain', 4242));
    await checkDomain(h.deps, pressed.args);
    expect(pressed.calls[0]?.args.text).toBe('No custom domain has this id.');
  });
});
