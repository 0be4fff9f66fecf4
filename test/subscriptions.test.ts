// The event feed as a client subscribes to it: arguments written inline or through variables of any
// name, refusals of IDs that name no portal, and the caps on how many streams stay open.
import { encodeGlobalID } from '@pothos/plugin-relay';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { serveTenant } from './support/http.ts';
import { PortalDriver } from './support/lifecycle.ts';
import { type EventStream, nextPayloads, openEventStream } from './support/sse.ts';
import { openTestTenant, type TestTenant } from './support/tenant.ts';
import { eventually } from './support/wait.ts';

let tenant: TestTenant;
let ada: PortalDriver;
const streams: EventStream[] = [];

beforeEach(async () => {
  tenant = await openTestTenant();
  ada = new PortalDriver(tenant, await tenant.token({ email: 'ada@contoso.com' }));
});
afterEach(async () => {
  for (const stream of streams.splice(0)) await stream.close();
  await tenant.close();
});

async function subscribe(query: string, variables?: Record<string, unknown>, token = ada.token) {
  const stream = await openEventStream(tenant.yoga, query, { token, variables });
  streams.push(stream);
  return stream;
}

type Event = { sequence: number; type: string; portal: { id: string } | null };
const FIELDS = '{ sequence type portal { id } }';

/** Two portals whose events interleave: A requested, B requested, A renamed. */
async function twoPortals() {
  const a = await ada.request({ subdomain: 'portal-a' });
  const b = await ada.request({ subdomain: 'portal-b' });
  const renamed = await ada.mutate('rename', { portalId: a, name: 'Portal A renamed' });
  expect(renamed.__typename).toBe('PortalPayload');
  const { events } = await ada.state(a);
  return { a, b, first: events[0]?.sequence as number };
}

describe('subscription arguments', () => {
  it('honours a portalId and after written inline', async () => {
    const { a, first } = await twoPortals();
    const all = nextPayloads<Event>(await (await subscribe(`subscription { portalEvents(portalId: "${a}") ${FIELDS} }`)).frames(2), 'portalEvents');
    expect(all.map((e) => [e.type, e.portal?.id])).toEqual([
      ['PORTAL_REQUESTED', a],
      ['PORTAL_RENAMED', a],
    ]);

    const missed = nextPayloads<Event>(await (await subscribe(`subscription { portalEvents(portalId: "${a}", after: ${first}) ${FIELDS} }`)).frames(1), 'portalEvents');
    expect(missed.map((e) => e.type)).toEqual(['PORTAL_RENAMED']);
  });

  it('honours variables whatever their names', async () => {
    const { b, first } = await twoPortals();
    const query = `subscription Feed($which: ID, $from: Int) { portalEvents(portalId: $which, after: $from) ${FIELDS} }`;
    const events = nextPayloads<Event>(await (await subscribe(query, { which: b, from: first })).frames(1), 'portalEvents');
    expect(events.map((e) => [e.type, e.portal?.id])).toEqual([['PORTAL_REQUESTED', b]]);
  });

  it('streams every portal from after when no portal is named', async () => {
    const { a, b, first } = await twoPortals();
    const events = nextPayloads<Event>(await (await subscribe(`subscription { portalEvents(after: ${first}) ${FIELDS} }`)).frames(2), 'portalEvents');
    expect(events.map((e) => e.portal?.id)).toEqual([b, a]);
  });

  it('refuses a malformed or unknown portalId with an error and streams nothing', async () => {
    await twoPortals();
    for (const [portalId, message] of [
      ['zzz', 'portalId is not the ID of a portal.'],
      ['', 'portalId is not the ID of a portal.'],
      [encodeGlobalID('Instance', 'contoso-field'), 'portalId is not the ID of a portal.'],
      [encodeGlobalID('Portal', '999999'), 'No portal has this ID.'],
    ] as const) {
      for (const stream of [
        await subscribe(`subscription { portalEvents(portalId: "${portalId}") ${FIELDS} }`),
        await subscribe(`subscription($p: ID) { portalEvents(portalId: $p) ${FIELDS} }`, { p: portalId }),
      ]) {
        const frames = await stream.frames(5);
        expect(nextPayloads(frames, 'portalEvents'), portalId).toEqual([]);
        expect(frames.at(-1)?.event).toBe('complete');
        expect(frames.flatMap((f) => f.data?.errors ?? []).map((e) => e.message)).toEqual([message]);
      }
    }
  });
});

describe('the caps on open event streams', () => {
  const FEED = `subscription { portalEvents ${FIELDS} }`;

  /** Opens a stream and reads its first event, or the refusal that ends it. */
  async function open(token: string) {
    const stream = await subscribe(FEED, undefined, token);
    const frames = await stream.frames(1);
    return { stream, status: stream.status, events: nextPayloads<Event>(frames, 'portalEvents'), errors: frames.flatMap((f) => f.data?.errors ?? []) };
  }

  it('refuses a stream past the cap of its token, and past the cap of the server, with the reason', async () => {
    await tenant.close();
    tenant = await openTestTenant({ streamLimits: { perToken: 2, total: 3 } });
    ada = new PortalDriver(tenant, await tenant.token({ email: 'ada@contoso.com' }));
    const reader = await tenant.token({ scopes: ['read'], name: 'dashboard' });
    await ada.request();

    const first = await open(ada.token);
    const second = await open(ada.token);
    expect([first.events, second.events].map((e) => e.map((x) => x.type))).toEqual([['PORTAL_REQUESTED'], ['PORTAL_REQUESTED']]);
    const third = await open(ada.token);
    expect(third.events).toEqual([]);
    expect([first.status, second.status, third.status]).toEqual([200, 200, 429]);
    expect(third.errors.map((e) => [e.message, e.extensions?.code])).toEqual([
      ['This token already has 2 event streams open, the most one token may hold. Close one before opening another.', 'TOO_MANY_STREAMS'],
    ]);

    expect((await open(reader)).events).toHaveLength(1);
    const overServer = await open(reader);
    expect(overServer.events).toEqual([]);
    expect(overServer.status).toBe(429);
    expect(overServer.errors.map((e) => e.message)).toEqual(['The server already has 3 event streams open, the most it serves at once. Try again later.']);

    // A closed stream gives its place back.
    await first.stream.close();
    const again = await eventually(
      async () => {
        const attempt = await open(ada.token);
        return attempt.errors.length === 0 && attempt;
      },
      5_000,
      'a place given back',
      { intervalMs: 10 },
    );
    expect(again.errors).toEqual([]);
    expect(again.events.map((e) => e.type)).toEqual(['PORTAL_REQUESTED']);
  });

  it('gives a place back when a client over HTTP goes away', async () => {
    await tenant.close();
    tenant = await openTestTenant({ streamLimits: { perToken: 1, total: 1 } });
    ada = new PortalDriver(tenant, await tenant.token({ email: 'ada@contoso.com' }));
    await ada.request();
    const app = await serveTenant(tenant);
    try {
      const overHttp = async () => {
        const stream = await openEventStream({ fetch: (url, init) => fetch(url, init) }, FEED, { token: ada.token, url: `${app.url}/graphql` });
        streams.push(stream);
        return { stream, frames: await stream.frames(1) };
      };
      const first = await overHttp();
      expect(nextPayloads(first.frames, 'portalEvents')).toHaveLength(1);
      expect((await overHttp()).stream.status).toBe(429);
      await first.stream.close();
      const again = await eventually(
        async () => {
          const attempt = await overHttp();
          return attempt.stream.status === 200 && attempt;
        },
        5_000,
        'a place given back over HTTP',
        { intervalMs: 10 },
      );
      expect(nextPayloads(again.frames, 'portalEvents').map((e: Event) => e.type)).toEqual(['PORTAL_REQUESTED']);
    } finally {
      for (const stream of streams.splice(0)) await stream.close();
      await app.close(0);
    }
  });

  it('caps streams by default', async () => {
    await ada.request();
    const opened = [];
    for (let i = 0; i < 10; i += 1) opened.push(await open(ada.token));
    expect(opened.every((o) => o.errors.length === 0)).toBe(true);
    expect((await open(ada.token)).errors.map((e) => e.extensions?.code)).toEqual(['TOO_MANY_STREAMS']);
  });
});
