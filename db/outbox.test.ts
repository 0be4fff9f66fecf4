import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tempDir } from '../test/support/tenant.ts';
import { type Db, openDatabase, writeTransaction } from './client.ts';
import { aboutPortal, onEventsWritten, readEventsAfter, recordEvents, writeWithEvents } from './outbox.ts';

describe('the outbox', () => {
  let dir: ReturnType<typeof tempDir>;
  let db: Db;
  let wakes: number;

  beforeEach(() => {
    dir = tempDir();
    db = openDatabase(join(dir.path, 'outbox.db'));
    wakes = 0;
    onEventsWritten(db, () => wakes++);
  });

  afterEach(() => {
    db.$client.close();
    dir.remove();
  });

  it('records events in the transaction and wakes the listeners once it commits', async () => {
    const during = writeWithEvents(db, (tx) => {
      recordEvents(tx, [{ type: 'CERTIFICATE_UPLOADED', message: 'uploaded', actor: 'ada', portalId: null }]);
      recordEvents(tx, [{ type: 'NOTE', message: 'second', actor: 'system', data: { n: 2 }, portalId: null }]);
      return wakes;
    });
    expect(during).toBe(0);
    expect(wakes).toBe(1);
    const rows = await readEventsAfter(db, 0, 10);
    expect(rows.map(({ type, message, actor, data, portalId }) => ({ type, message, actor, data, portalId }))).toEqual([
      { type: 'CERTIFICATE_UPLOADED', message: 'uploaded', actor: 'ada', data: {}, portalId: null },
      { type: 'NOTE', message: 'second', actor: 'system', data: { n: 2 }, portalId: null },
    ]);
    expect(rows[0]!.createdAt).toBeInstanceOf(Date);
  });

  it('wakes no one when the transaction recorded nothing', () => {
    expect(
      writeWithEvents(db, (tx) => {
        recordEvents(tx, []);
        return 'done';
      }),
    ).toBe('done');
    expect(wakes).toBe(0);
  });

  it('keeps no event and wakes no one when the transaction fails', async () => {
    expect(() =>
      writeWithEvents(db, (tx) => {
        recordEvents(tx, [{ type: 'LOST', message: 'rolled back', actor: 'system', portalId: null }]);
        throw new Error('the change failed');
      }),
    ).toThrow('the change failed');
    expect(wakes).toBe(0);
    expect(await readEventsAfter(db, 0, 10)).toEqual([]);
  });

  it('refuses a transaction that would not wake the listeners', () => {
    expect(() => writeTransaction(db, (tx) => recordEvents(tx, [{ type: 'X', message: 'x', actor: 'system', portalId: null }]))).toThrow(/needs a transaction opened by writeWithEvents/);
  });

  it('records a sweep of many events, in order, with one wake-up', async () => {
    const many = Array.from({ length: 450 }, (_, i) => ({ type: 'TICK', message: `tick ${i}`, actor: 'system' }));
    writeWithEvents(db, (tx) => recordEvents(tx, aboutPortal(null, many)));
    expect(wakes).toBe(1);
    const rows = await readEventsAfter(db, 0, 1000);
    expect(rows.map((row) => row.message)).toEqual(many.map((event) => event.message));
  });

  it('stops waking a listener that unsubscribed', () => {
    let other = 0;
    const stop = onEventsWritten(db, () => other++);
    writeWithEvents(db, (tx) => recordEvents(tx, [{ type: 'A', message: 'a', actor: 'system', portalId: null }]));
    stop();
    writeWithEvents(db, (tx) => recordEvents(tx, [{ type: 'B', message: 'b', actor: 'system', portalId: null }]));
    expect({ other, wakes }).toEqual({ other: 1, wakes: 2 });
  });
});

describe('aboutPortal', () => {
  it('ties each event to the portal', () => {
    expect(aboutPortal(7, [{ type: 'A', message: 'a', actor: 'ada' }])).toEqual([{ type: 'A', message: 'a', actor: 'ada', portalId: 7 }]);
  });
});
