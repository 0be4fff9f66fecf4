// The custom domain from Slack, end to end: /portal domain opens the modal, the .pfx comes from the
// fake Slack's file host, the reply names the CNAME, the record is added to a real DNS server on
// loopback, Check now runs the check, and the seed's success message lands in the portal's thread.
// Then the database and the logs are searched for the password and the private key.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ACTION } from '../bot/blocks/common.ts';
import { DOMAIN_BLOCK, DOMAIN_CALLBACK } from '../bot/blocks/domain.ts';
import { customDomainConfiguredMessage } from '../core/messages.ts';
import { CURRENT_TERMS_VERSION } from '../core/terms.ts';
import { createApiToken } from '../core/tokens.ts';
import { closeDatabase } from '../db/database.ts';
import { SAMPLE_SEED_PATH } from '../platform/local/seed.ts';
import { LocalPlatform } from '../platform/local/simulator.ts';
import { makeServerPfx, PFX_PASSWORD } from './support/certificates.ts';
import { startDnsServer, type TestDnsServer } from './support/dns-server.ts';
import { platformsUnderTest } from './support/platforms.ts';
import { storedText } from './support/rows.ts';
import { eventually, type SlackHarness, startSlackHarnessOn } from './support/slack.ts';
import { portalInput, REQUEST_PORTAL, tempDir } from './support/tenant.ts';

const certs = tempDir();
let pfx: ReturnType<typeof makeServerPfx>;
beforeAll(() => {
  pfx = makeServerPfx(certs.path, 'support', ['support.contoso.com']);
});
afterAll(() => certs.remove());

describe.each(platformsUnderTest())('on the %s platform', (platform) => {
  let dns: TestDnsServer;
  let h: SlackHarness;
  beforeEach(async () => {
    dns = await startDnsServer();
    h = await startSlackHarnessOn(platform, { DNS_SERVERS: dns.address });
  });
  afterEach(async () => {
    await h.stop();
    await dns.close();
  });

  /** A provisioned portal that follows #portals, made through the API, and the API as Ada. */
  async function provisionedPortal(subdomain: string) {
    const db = await h.database.open();
    const { token } = await createApiToken({ db, platform: h.platform ?? new LocalPlatform(db) }, { name: 'setup', scopes: ['read', 'write'], userEmail: 'ada@contoso.com' });
    await closeDatabase(db);
    const gql = async (query: string, variables: Record<string, unknown>) =>
      (
        await (
          await fetch(`${h.runtime.http.url}/graphql`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
            body: JSON.stringify({ query, variables }),
          })
        ).json()
      ).data;
    const id = (await gql(REQUEST_PORTAL, { input: portalInput({ subdomain, notifyChannel: 'C0PORTALS' }) })).requestPortal.portal.id;
    await gql('mutation($id: ID!, $v: String!) { acceptPortalTerms(input: { portalId: $id, termsVersion: $v, consent: true }) { __typename } }', { id, v: CURRENT_TERMS_VERSION });
    await eventually(async () => (await gql('query($id: ID!) { portal(id: $id) { status } }', { id })).portal.status === 'PROVISIONED', 10_000, 'provisioned');
    return { id, gql };
  }

  /** Opens the domain modal of `subdomain` as Ada and submits it with this host name and .pfx. */
  async function submitDomain(subdomain: string, hostname: string, file: Buffer, password: string) {
    await h.command('U0ADA', `domain ${subdomain}`);
    const open = await eventually(() => h.slack.callsTo('views.open').at(-1), 3_000, 'the domain modal');
    const url = h.slack.serveFile('F0PFX/support.pfx', file);
    return h.interact({
      type: 'view_submission',
      user: { id: 'U0ADA' },
      view: {
        ...open.body.view,
        id: 'V0DOMAIN',
        hash: 'h',
        state: {
          values: {
            [DOMAIN_BLOCK.hostname]: { value: { type: 'plain_text_input', value: hostname } },
            [DOMAIN_BLOCK.file]: { value: { type: 'file_input', files: [{ id: 'F0PFX', name: 'support.pfx', size: file.length, url_private_download: url }] } },
            [DOMAIN_BLOCK.password]: { value: { type: 'plain_text_input', value: password } },
            [DOMAIN_BLOCK.certificateName]: { value: { type: 'plain_text_input', value: null } },
          },
        },
      },
    });
  }

  describe('a custom domain from Slack', () => {
    it('adds the domain with an uploaded .pfx, names the CNAME, and posts the success in the thread', async () => {
      expect(SAMPLE_SEED_PATH).toBeTruthy();
      await provisionedPortal('contoso-support');
      await h.command('U0ADA', 'domain contoso-support');
      const open = await eventually(() => h.slack.callsTo('views.open')[0], 3_000, 'the domain modal');
      const view = open.body.view;
      expect(view.callback_id).toBe(DOMAIN_CALLBACK);

      const url = h.slack.serveFile('F0PFX/support.pfx', pfx.pfx);
      const submit = (password: string) =>
        h.interact({
          type: 'view_submission',
          user: { id: 'U0ADA' },
          view: {
            ...view,
            id: 'V0DOMAIN',
            hash: 'h',
            state: {
              values: {
                [DOMAIN_BLOCK.hostname]: { value: { type: 'plain_text_input', value: 'support.contoso.com' } },
                [DOMAIN_BLOCK.file]: { value: { type: 'file_input', files: [{ id: 'F0PFX', name: 'support.pfx', size: pfx.pfx.length, url_private_download: url }] } },
                [DOMAIN_BLOCK.password]: { value: { type: 'plain_text_input', value: password } },
                [DOMAIN_BLOCK.certificateName]: { value: { type: 'plain_text_input', value: null } },
              },
            },
          },
        });

      // A wrong password comes back beside the file, and nothing is added.
      const wrong = await (await submit('not-the-password')).json();
      expect(wrong.response_action).toBe('errors');
      expect(wrong.errors[DOMAIN_BLOCK.file]).toMatch(/password/i);

      expect((await submit(PFX_PASSWORD)).status).toBe(200);
      const instructions = await eventually(() => h.slack.messages.find((m) => !m.thread_ts && JSON.stringify(m.blocks ?? []).includes(ACTION.checkDomain)), 3_000, 'the CNAME instructions');
      expect(instructions.text).toBe('Please add a CNAME record to this domain name. support.contoso.com. CNAME contoso-support.portals.test.');
      expect(h.slack.callsTo('files/F0PFX/support.pfx').at(-1)?.headers.authorization).toBe('Bearer xoxb-test-bot-token');

      dns.setCname('support.contoso.com', 'contoso-support.portals.test');
      const button = instructions.blocks?.flatMap((b) => b.elements ?? []).find((e: { action_id?: string }) => e.action_id === ACTION.checkDomain);
      await h.interact({
        type: 'block_actions',
        user: { id: 'U0ADA' },
        actions: [{ action_id: ACTION.checkDomain, block_id: 'domain_actions', type: 'button', value: button.value }],
        channel: { id: instructions.channel },
        message: { ts: instructions.ts },
        container: { type: 'message', message_ts: instructions.ts, channel_id: instructions.channel },
      });
      const success = customDomainConfiguredMessage('https://support.contoso.com');
      const reply = await eventually(() => h.slack.messages.find((m) => m.thread_ts && m.text === success), 10_000, 'the success message in the thread');
      const status = h.slack.messages.find((m) => m.ts === reply.thread_ts);
      expect(status?.text).toContain('Contoso Partners');

      // Neither the password nor the private key is in the database or the logs.
      const db = await h.database.open();
      const file = await storedText(db, h.database.target);
      await closeDatabase(db);
      const logs = h.logs.join('\n');
      for (const secret of [PFX_PASSWORD, pfx.keyBody, pfx.base64.slice(100, 160)]) {
        expect(file).not.toContain(secret);
        expect(logs).not.toContain(secret);
      }
      expect(logs).not.toContain('xoxb-test-bot-token');
      expect(logs.length).toBeGreaterThan(0);
    });

    it('says when the uploaded certificate is stored already, and Check now names the host name once', async () => {
      const { gql } = await provisionedPortal('contoso-support');
      const uploaded = await gql('mutation($input: NewCertificateInput!) { uploadCertificate(input: $input) { ... on CertificatePayload { certificate { name } } } }', {
        input: { name: 'support 2026', pfxBase64: pfx.base64, password: PFX_PASSWORD },
      });
      expect(uploaded.uploadCertificate.certificate.name).toBe('support 2026');

      expect((await submitDomain('contoso-support', 'support.contoso.com', pfx.pfx, PFX_PASSWORD)).status).toBe(200);
      const instructions = await eventually(() => h.slack.messages.find((m) => !m.thread_ts && JSON.stringify(m.blocks ?? []).includes(ACTION.checkDomain)), 3_000, 'the CNAME instructions');
      expect(instructions.text).toBe(
        'This certificate is already uploaded as support 2026; that one is used. Please add a CNAME record to this domain name. support.contoso.com. CNAME contoso-support.portals.test.',
      );
      expect(instructions.blocks?.[0]).toEqual({ type: 'context', elements: [{ type: 'mrkdwn', text: 'This certificate is already uploaded as support 2026; that one is used.' }] });

      const button = instructions.blocks?.flatMap((b) => b.elements ?? []).find((e: { action_id?: string }) => e.action_id === ACTION.checkDomain);
      await h.interact({
        type: 'block_actions',
        user: { id: 'U0ADA' },
        actions: [{ action_id: ACTION.checkDomain, block_id: 'domain_actions', type: 'button', value: button.value }],
        channel: { id: instructions.channel },
        message: { ts: instructions.ts },
        container: { type: 'message', message_ts: instructions.ts, channel_id: instructions.channel },
      });
      const told = await eventually(() => h.slack.callsTo('chat.postEphemeral').at(-1), 5_000, 'the Check now answer');
      expect(told.body.text).toBe(
        'Please add a CNAME record to this domain name. support.contoso.com does not exist in DNS yet (no such name). Expected: support.contoso.com. CNAME contoso-support.portals.test.',
      );
    });

    it('refuses a file that does not come from Slack', async () => {
      await provisionedPortal('contoso-other');
      await h.command('U0ADA', 'domain contoso-other');
      const open = await eventually(() => h.slack.callsTo('views.open')[0], 3_000, 'the domain modal');
      const answer = await (
        await h.interact({
          type: 'view_submission',
          user: { id: 'U0ADA' },
          view: {
            ...open.body.view,
            id: 'V1',
            hash: 'h',
            state: {
              values: {
                [DOMAIN_BLOCK.hostname]: { value: { type: 'plain_text_input', value: 'www.contoso.com' } },
                [DOMAIN_BLOCK.file]: { value: { type: 'file_input', files: [{ id: 'F1', name: 'x.pfx', size: 10, url_private_download: 'https://evil.example/x.pfx' }] } },
              },
            },
          },
        })
      ).json();
      expect(answer.errors[DOMAIN_BLOCK.file]).toBe('The file does not come from Slack; upload it in the form.');
    });
  });
});
