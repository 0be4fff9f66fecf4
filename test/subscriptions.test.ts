// The event feed as a client subscribes to it: arguments written inline or through variables of any
// name, refusals of IDs that name no portal, and the caps on how many streams stay open.
import { encodeGlobalID } from '@pothos/plugin-relay';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PortalDriver } from './support/lifecycle.ts';
import { type EventStream, nextPayloads, openEventStream } from './support/sse.ts';
import { openTestTenant, type TestTenant } from './support/tenant.ts';

let tenant: TestTenant;
let ada: PortalDriver;
const streams: EventStream[] = [];

beforeEach(async () => {
  tenant = openTestTenant();
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
    expect(all.map((e) => [e.type, e.portal?.id])).toEqual([['PORTAL_REQUESTED', a], ['PORTAL_RENAMED', a]]);

    const missed = nextPayloads<Event>(
      await (await subscribe(`subscription { portalEvents(portalId: "${a}", after: ${first}) ${FIELDS} }`)).frames(1),
      'portalEvents',
    );
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
