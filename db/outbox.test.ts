import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestDatabase, databasesUnderTest, type TestDatabase, underTest } from '../test/support/databases.ts';
import { eventually, sleep } from '../test/support/wait.ts';
import type { Db } from './client.ts';
import { aboutPortal, onEventsWritten, readEventsAfter, recordEvents, writeWithEvents } from './outbox.ts';
import { writeTransaction } from './transaction.ts';

describe.each(databasesUnderTest())('the outbox on %s', (kind) => {
  let database: TestDatabase;
  let db: Db;
  let wakes: number;

  beforeEach(async () => {
    database = await createTestDatabase(kind);
    db = await database.open();
    wakes = 0;
    onEventsWritten(db, () => wakes++);
  });

  afterEach(async () => {
    await database.drop();
  });

  it('records events in the transaction and wakes the listeners once it commits', async () => {
    const during = await writeWithEvents(db, function* (tx) {
      yield* recordEvents(tx, [{ type: 'CERTIFICATE_UPLOADED', message: 'uploaded', actor: 'ada', portalId: null }]);
      yield* recordEvents(tx, [{ type: 'NOTE', message: 'second', actor: 'system', data: { n: 2 }, portalId: null }]);
      return wakes;
    });
    expect(during).toBe(0);
    expect(wakes).toBeGreaterThanOrEqual(1);
    const rows = await readEventsAfter(db, 0, 10);
    expect(rows.map(({ type, message, actor, data, portalId }) => ({ type, message, actor, data, portalId }))).toEqual([
      { type: 'CERTIFICATE_UPLOADED', message: 'uploaded', actor: 'ada', data: {}, portalId: null },
      { type: 'NOTE', message: 'second', actor: 'system', data: { n: 2 }, portalId: null },
    ]);
    expect(rows[0]!.createdAt).toBeInstanceOf(Date);
  });

  it('wakes no one when the transaction recorded nothing', async () => {
    expect(
      await writeWithEvents(db, function* (tx) {
        yield* recordEvents(tx, []);
        return 'done';
      }),
    ).toBe('done');
    expect(wakes).toBe(0);
  });

  it('keeps no event and wakes no one when the transaction fails', async () => {
    await expect(
      writeWithEvents(db, function* (tx) {
        yield* recordEvents(tx, [{ type: 'LOST', message: 'rolled back', actor: 'system', portalId: null }]);
        throw new Error('the change failed');
      }),
    ).rejects.toThrow('the change failed');
    expect(wakes).toBe(0);
    expect(await readEventsAfter(db, 0, 10)).toEqual([]);
  });

  it('refuses a transaction that would not wake the listeners', async () => {
    await expect(writeTransaction(db, (tx) => recordEvents(tx, [{ type: 'X', message: 'x', actor: 'system', portalId: null }]))).rejects.toThrow(
      /needs a transaction opened by writeWithEvents/,
    );
  });

  it('records a sweep of many events, in order', async () => {
    const many = Array.from({ length: 450 }, (_, i) => ({ type: 'TICK', message: `tick ${i}`, actor: 'system' }));
    await writeWithEvents(db, (tx) => recordEvents(tx, aboutPortal(null, many)));
    const rows = await readEventsAfter(db, 0, 1000);
    expect(rows.map((row) => row.message)).toEqual(many.map((event) => event.message));
  });

  it('stops waking a listener that unsubscribed', async () => {
    let other = 0;
    const stop = onEventsWritten(db, () => other++);
    await writeWithEvents(db, (tx) => recordEvents(tx, [{ type: 'A', message: 'a', actor: 'system', portalId: null }]));
    const afterFirst = other;
    stop();
    await writeWithEvents(db, (tx) => recordEvents(tx, [{ type: 'B', message: 'b', actor: 'system', portalId: null }]));
    await eventually(() => wakes >= 2, 5000, 'the second wake-up');
    expect(afterFirst).toBeGreaterThanOrEqual(1);
    expect(other).toBe(afterFirst);
  });

  it('hands out ids in commit order while writers on several connections race', async () => {
    const others = await Promise.all([database.open(), database.open()]);
    const writers = [db, ...others];
    await Promise.all(
      Array.from({ length: 60 }, (_, i) =>
        writeWithEvents(writers[i % writers.length]!, (tx) => recordEvents(tx, aboutPortal(null, [{ type: 'RACE', message: `race ${i}`, actor: 'system' }]))),
      ),
    );
    const rows = await readEventsAfter(db, 0, 100);
    expect(rows).toHaveLength(60);
    expect(new Set(rows.map((row) => row.message)).size).toBe(60);
  });
});

if (underTest('postgres'))
  describe('the outbox across replicas on postgres', () => {
    it('wakes a listener of one replica when another replica records events', async () => {
      const database = await createTestDatabase('postgres');
      try {
        const [replicaA, replicaB] = [await database.open(), await database.open()];
        let woken = 0;
        onEventsWritten(replicaA, () => woken++);
        // The LISTEN connection is opened in the background; a wake-up before it listens is not lost to
        // readers (they re-read), but this test wants the notification itself.
        await sleep(300);
        await writeWithEvents(replicaB, (tx) => recordEvents(tx, [{ type: 'FROM_B', message: 'b', actor: 'system', portalId: null }]));
        await eventually(() => woken > 0, 5000, 'the notification from replica B');
        expect((await readEventsAfter(replicaA, 0, 10)).map((row) => row.type)).toEqual(['FROM_B']);
      } finally {
        await database.drop();
      }
    });
  });

describe('aboutPortal', () => {
  it('ties each event to the portal', () => {
    expect(aboutPortal(7, [{ type: 'A', message: 'a', actor: 'ada' }])).toEqual([{ type: 'A', message: 'a', actor: 'ada', portalId: 7 }]);
  });
});
