// The whole lifecycle at test speed, through GraphQL, with the simulator and the poller on a test
// database: terms and consent, failures and restarts, the package rules, and the event feed.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CONFIGURING_MESSAGE, GETTING_SET_UP_MESSAGE } from '../core/messages.ts';
import { eventTypes, PortalDriver } from './support/lifecycle.ts';
import { platformsUnderTest } from './support/platforms.ts';
import { openEventStream } from './support/sse.ts';
import { instanceId, openTestTenantOn, type TestTenant, userId } from './support/tenant.ts';

describe.each(platformsUnderTest())('on the %s platform', (platform) => {
  let tenant: TestTenant;
  let ada: PortalDriver;

  beforeEach(async () => {
    tenant = await openTestTenantOn(platform);
    ada = new PortalDriver(tenant, await tenant.token({ email: 'ada@contoso.com' }));
  });
  afterEach(() => tenant.close());

  const HAPPY_EVENTS = [
    'PORTAL_REQUESTED',
    'TERMS_ACCEPTED',
    'CONSENT_GRANTED',
    'PROVISIONING_STARTED',
    'RESOURCES_REQUESTED',
    'RESOURCES_CREATED',
    'PACKAGE_INSTALL_STARTED',
    'PORTAL_PROVISIONED',
  ];

  describe('terms of service and consent', () => {
    it('takes a portal from the terms to provisioned, recording who accepted which version', async () => {
      const id = await ada.request();
      const accepted = await ada.accept(id, { consent: false });
      expect(accepted.portal).toMatchObject({ status: 'AWAITING_TERMS', displayName: 'Contoso Partners' });
      const consented = await ada.mutate('consent', { portalId: id });
      expect(consented.portal).toMatchObject({ status: 'CONFIGURING', displayName: 'Contoso Partners-Configuring', resourceStatus: 'CREATING', packageStatus: 'PENDING' });
      const configuring = await ada.state(id);
      expect(configuring.statusMessage).toBe(CONFIGURING_MESSAGE);

      const done = await ada.until(id, 'PROVISIONED');
      expect(done).toMatchObject({
        displayName: 'Contoso Partners',
        resourceStatus: 'CREATED',
        packageStatus: 'INSTALLED',
        statusMessage: null,
        termsVersion: '2017-05-22',
        termsAcceptedBy: { email: 'ada@contoso.com' },
        allowedActions: ['RENAME'],
        attempt: 1,
        lastError: null,
      });
      expect(done.termsAcceptedAt).not.toBeNull();
      expect(done.consentGrantedAt).not.toBeNull();
      expect(done.provisionedAt).not.toBeNull();
      expect(eventTypes(done)).toEqual(HAPPY_EVENTS);
      expect(done.events.find((e: { type: string }) => e.type === 'RESOURCES_CREATED')?.message).toBe(
        'Your Portal URL has been created. However, package installation is still in progress. Please check status here.',
      );
    });

    it('starts one provisioning and one platform operation however often the requester accepts', async () => {
      const id = await ada.request();
      const results = await Promise.all(Array.from({ length: 10 }, () => ada.accept(id)));
      expect(results.every((r) => r.__typename === 'PortalPayload')).toBe(true);
      await ada.accept(id);
      const done = await ada.until(id, 'PROVISIONED');
      expect(eventTypes(done)).toEqual(HAPPY_EVENTS);
      expect(await tenant.platform.countOperations({ subdomain: 'contoso-partners', kind: 'CREATE_RESOURCES' })).toBe(1);
      expect(await tenant.platform.countOperations({ subdomain: 'contoso-partners', kind: 'INSTALL_PACKAGE' })).toBe(1);
    });

    it('lets only the requester accept, consent or decline', async () => {
      const id = await ada.request();
      const grace = await tenant.token({ email: 'grace@contoso.com' });
      for (const name of ['consent', 'decline'] as const) {
        expect(await ada.mutate(name, { portalId: id }, grace)).toEqual({
          __typename: 'ForbiddenError',
          message: `Only ada@contoso.com can ${name === 'consent' ? 'consent' : 'decline the terms of service'} for this portal.`,
        });
      }
      expect((await ada.accept(id, { token: grace })).__typename).toBe('ForbiddenError');
      const service = await tenant.token({ scopes: ['write'] });
      expect((await ada.accept(id, { token: service })).__typename).toBe('ForbiddenError');
      expect((await ada.state(id)).status).toBe('AWAITING_TERMS');
    });

    it('refuses an outdated terms version, and consent before acceptance', async () => {
      const id = await ada.request();
      const outdated = await ada.accept(id, { version: '2016-01-01' });
      expect(outdated.fields).toEqual([{ field: 'termsVersion', message: 'The terms of service are now version 2017-05-22; read that version and accept it.' }]);
      expect(await ada.mutate('consent', { portalId: id })).toEqual({ __typename: 'ConflictError', message: 'Accept the terms of service first, then consent.' });
      expect(eventTypes(await ada.state(id))).toEqual(['PORTAL_REQUESTED']);
    });

    it('gives the license back when the terms are declined, and ends there', async () => {
      const id = await ada.request();
      const licenses = async () => (await tenant.gql('{ licenses { id used } }', {}, ada.token)).body.data.licenses;
      expect(await licenses()).toContainEqual({ id: 'portal-addon', used: 1 });
      const declined = await ada.mutate('decline', { portalId: id });
      expect(declined.portal.status).toBe('DECLINED');
      expect(await licenses()).toContainEqual({ id: 'portal-addon', used: 0 });
      expect((await ada.accept(id)).__typename).toBe('ConflictError');
      expect((await ada.mutate('restart', { portalId: id })).message).toContain('declined');
      expect(eventTypes(await ada.state(id))).toEqual(['PORTAL_REQUESTED', 'TERMS_DECLINED']);
    });
  });

  describe('failures and restarts', () => {
    it('restarts a failed resource creation with the same configuration', async () => {
      const id = await ada.request({ subdomain: 'flaky-portal' });
      await ada.accept(id);
      const failed = await ada.until(id, 'PROVISIONING_FAILED');
      expect(failed).toMatchObject({
        displayName: 'Contoso Partners-Provisioning Failed',
        resourceStatus: 'FAILED',
        allowedActions: ['RESTART_PROVISIONING', 'UPDATE_AND_RESTART', 'RENAME'],
        urlServes: null,
      });
      expect(failed.lastError).toContain('timed out');
      const alert = failed.events.at(-1);
      expect(alert).toMatchObject({ type: 'PROVISIONING_FAILED', data: { alert: true, step: 'RESOURCES' } });

      expect((await ada.mutate('restart', { portalId: id })).portal.displayName).toBe('Contoso Partners-Configuring');
      const done = await ada.until(id, 'PROVISIONED');
      expect(done.attempt).toBe(2);
      expect(await tenant.platform.countOperations({ subdomain: 'flaky-portal', kind: 'CREATE_RESOURCES' })).toBe(2);
    });

    it('changes values and restarts, checking them like a new request', async () => {
      const id = await ada.request({ subdomain: 'broken-portal' });
      await ada.accept(id);
      await ada.until(id, 'PROVISIONING_FAILED');
      const refused = await ada.mutate('update', { portalId: id, subdomain: 'bad_one', language: 'ar-SA' });
      expect(refused.fields.map((f: { field: string }) => f.field).sort()).toEqual(['language', 'subdomain']);
      expect((await ada.state(id)).status).toBe('PROVISIONING_FAILED');

      const updated = await ada.mutate('update', { portalId: id, subdomain: 'Fixed-Portal', name: 'Fixed' });
      expect(updated.portal).toMatchObject({ status: 'CONFIGURING', displayName: 'Fixed-Configuring' });
      const done = await ada.until(id, 'PROVISIONED');
      expect(done).toMatchObject({ subdomain: 'fixed-portal', name: 'Fixed' });
      const change = done.events.find((e: { type: string }) => e.type === 'PORTAL_UPDATED');
      expect(change?.data.changed).toEqual({
        name: { from: 'Contoso Partners', to: 'Fixed' },
        subdomain: { from: 'broken-portal', to: 'fixed-portal' },
      });
    });

    it('fails resource creation for a portal URL another tenant took after the request', async () => {
      const id = await ada.request({ subdomain: 'contested' });
      await tenant.platform.takeSubdomain('contested');
      await ada.accept(id);
      const failed = await ada.until(id, 'PROVISIONING_FAILED');
      expect(failed.lastError).toBe('The portal URL contested is already taken on the portal platform. Change the portal URL and restart provisioning.');
    });

    it('refuses changes while configuring with the admin center message, and restarts of a provisioned portal', async () => {
      const id = await ada.request();
      await ada.accept(id);
      expect(await ada.mutate('restart', { portalId: id })).toEqual({ __typename: 'ConflictError', message: CONFIGURING_MESSAGE });
      expect(await ada.mutate('rename', { portalId: id, name: 'Other' })).toEqual({ __typename: 'ConflictError', message: CONFIGURING_MESSAGE });
      expect(await ada.mutate('update', { portalId: id, name: 'Other' })).toEqual({ __typename: 'ConflictError', message: CONFIGURING_MESSAGE });
      await ada.until(id, 'PROVISIONED');
      expect((await ada.mutate('restart', { portalId: id })).__typename).toBe('ConflictError');
      const update = await ada.mutate('update', { portalId: id, subdomain: 'another-url' });
      expect(update.message).toContain('portal URL cannot change');
      expect((await ada.mutate('retry', { portalId: id })).__typename).toBe('ConflictError');
      expect((await ada.mutate('rename', { portalId: id, name: 'Renamed' })).portal.displayName).toBe('Renamed');
    });

    it('lets a Global Administrator restart, but not another user', async () => {
      const id = await ada.request({ subdomain: 'flaky-portal' });
      await ada.accept(id);
      await ada.until(id, 'PROVISIONING_FAILED');
      const margaret = await tenant.token({ email: 'margaret@contoso.com' });
      expect((await ada.mutate('restart', { portalId: id }, margaret)).__typename).toBe('ForbiddenError');
      const grace = await tenant.token({ email: 'grace@contoso.com' });
      expect((await ada.mutate('restart', { portalId: id }, grace)).__typename).toBe('PortalPayload');
      await ada.until(id, 'PROVISIONED');
    });
  });

  describe('package installation', () => {
    it('fails while the default language differs, serves "Getting set up.", and installs once fixed', async () => {
      const id = await ada.request({
        instanceId: instanceId('contoso-mea'),
        administratorId: userId('barbara'),
        language: 'fr-FR',
        audience: 'CUSTOMER',
        portalType: 'CUSTOMER_SELF_SERVICE',
        addOns: [],
        subdomain: 'contoso-mea',
      });
      await ada.accept(id);
      const failed = await ada.until(id, 'PROVISIONING_FAILED');
      expect(failed).toMatchObject({ resourceStatus: 'CREATED', packageStatus: 'INSTALL_FAILED', urlServes: GETTING_SET_UP_MESSAGE });
      expect(failed.lastError).toContain('default language of Contoso Middle East, which is English, but the portal language is French');
      expect(failed.allowedActions).toContain('RETRY_PACKAGE_INSTALL');
      expect(failed.events.at(-1)).toMatchObject({ type: 'PACKAGE_INSTALL_FAILED', data: { alert: true, step: 'PACKAGE' } });

      await ada.mutate('retry', { portalId: id });
      const again = await ada.until(id, 'PROVISIONING_FAILED');
      expect(again.attempt).toBe(2);

      await tenant.platform.setBaseLanguage('contoso-mea', 'fr-FR');
      await ada.mutate('retry', { portalId: id });
      const done = await ada.until(id, 'PROVISIONED');
      expect(done.urlServes).toBe('The Contoso Partners portal home page.');
      // The URL was created once; only the package was installed again.
      expect(await tenant.platform.countOperations({ subdomain: 'contoso-mea', kind: 'CREATE_RESOURCES' })).toBe(1);
      expect(await tenant.platform.countOperations({ subdomain: 'contoso-mea', kind: 'INSTALL_PACKAGE' })).toBe(3);
    });

    it('fails an add-on whose prerequisite solution is missing, naming it', async () => {
      const id = await ada.request({ addOns: ['PARTNER_FIELD_SERVICE'] });
      await tenant.platform.setSolutions('contoso-field', ['Project Service Automation']);
      await ada.accept(id);
      const failed = await ada.until(id, 'PROVISIONING_FAILED');
      expect(failed.lastError).toBe('Install Failed: Partner Field Service needs Field Service installed first in Contoso Field Operations.');
      await tenant.platform.setSolutions('contoso-field', ['Field Service', 'Project Service Automation']);
      await ada.mutate('retry', { portalId: id });
      await ada.until(id, 'PROVISIONED');
      const [instance] = await tenant.platform.getInstances(['contoso-field']);
      expect(instance?.solutions).toEqual(expect.arrayContaining(['Partner Portal', 'Partner Field Service']));
    });

    it('retries an injected install failure', async () => {
      const id = await ada.request({ subdomain: 'flaky-package' });
      await ada.accept(id);
      // Power Pages says only InstallFailed; the simulator gives the seeded reason.
      expect((await ada.until(id, 'PROVISIONING_FAILED')).lastError).toContain(platform === 'local' ? 'solution import timed out' : 'InstallFailed');
      await ada.mutate('restart', { portalId: id });
      await ada.until(id, 'PROVISIONED');
    });
  });

  describe('an unreachable platform', () => {
    it('keeps retrying with backoff, alerts once, and finishes with nothing lost', async () => {
      const id = await ada.request({ subdomain: 'unreachable-portal' });
      await ada.accept(id);
      const done = await ada.until(id, 'PROVISIONED');
      const types = eventTypes(done);
      expect(types.filter((t) => t === 'PLATFORM_UNREACHABLE')).toHaveLength(1);
      expect(types.filter((t) => t === 'PLATFORM_REACHABLE')).toHaveLength(1);
      expect(types.filter((t) => !t.startsWith('PLATFORM_'))).toEqual(HAPPY_EVENTS);
    });
  });

  describe('the event subscription', () => {
    async function subscribe(query: string, variables: Record<string, unknown>, count: number) {
      const stream = await openEventStream(tenant.yoga, query, { token: ada.token, variables });
      expect(stream.contentType).toContain('text/event-stream');
      const frames = await stream.frames(count);
      await stream.close();
      return frames.filter((f) => f.event === 'next').map((f) => f.data?.data?.portalEvents as unknown as { sequence: number; type: string });
    }

    const SUBSCRIPTION = 'subscription($id: ID, $after: Int) { portalEvents(portalId: $id, after: $after) { sequence type } }';

    it('streams a portal’s events in order over SSE, live and to a late subscriber', async () => {
      const id = await ada.request();
      const live = subscribe(SUBSCRIPTION, { id }, HAPPY_EVENTS.length);
      await ada.accept(id);
      const events = await live;
      expect(events.map((e) => e.type)).toEqual(HAPPY_EVENTS);
      const sequences = events.map((e) => e.sequence);
      expect([...sequences].sort((a, b) => a - b)).toEqual(sequences);

      const missed = await subscribe(SUBSCRIPTION, { id, after: sequences[3] }, HAPPY_EVENTS.length - 4);
      expect(missed.map((e) => e.type)).toEqual(HAPPY_EVENTS.slice(4));
    });
  });
});
