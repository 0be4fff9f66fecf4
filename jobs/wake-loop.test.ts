import { describe, expect, it } from 'vitest';
import { createLogger } from '../app/logger.ts';
import { WakeLoop } from './wake-loop.ts';

/** A run that waits until released, counting its starts. */
function gatedRun(next: number | undefined = undefined) {
  const gates: Array<() => void> = [];
  let runs = 0;
  return {
    get runs() {
      return runs;
    },
    release: () => gates.shift()?.(),
    run: () => {
      runs += 1;
      return new Promise<number | undefined>((resolve) => gates.push(() => resolve(next)));
    },
  };
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('the wake loop', () => {
  it('never overlaps runs, and runs once more after a run that was woken meanwhile', async () => {
    const gated = gatedRun();
    const loop = new WakeLoop({ name: 'test', log: createLogger('silent'), run: gated.run });
    loop.wake();
    loop.wake();
    loop.wake();
    expect(gated.runs).toBe(1);
    gated.release();
    await settle();
    expect(gated.runs).toBe(2);
    gated.release();
    await settle();
    expect(gated.runs).toBe(2);
    await loop.stop();
  });

  it('runs again when the run says its next work is due', async () => {
    let runs = 0;
    let done: () => void = () => undefined;
    const second = new Promise<void>((resolve) => (done = resolve));
    const loop = new WakeLoop({
      name: 'test',
      log: createLogger('silent'),
      run: async () => {
        runs += 1;
        if (runs === 2) done();
        return runs === 1 ? 1 : undefined;
      },
    });
    loop.wake();
    await second;
    expect(runs).toBe(2);
    await loop.stop();
  });

  it('starts nothing after stop, and stop waits for the run under way', async () => {
    const gated = gatedRun(0);
    const loop = new WakeLoop({ name: 'test', log: createLogger('silent'), run: gated.run });
    loop.wake();
    let stopped = false;
    const stopping = loop.stop().then(() => (stopped = true));
    await settle();
    expect(stopped).toBe(false);
    gated.release();
    await stopping;
    loop.wake();
    expect(gated.runs).toBe(1);
  });

  it('keeps going after a failed run when told to retry', async () => {
    let runs = 0;
    let done: () => void = () => undefined;
    const retried = new Promise<void>((resolve) => (done = resolve));
    const loop = new WakeLoop({
      name: 'test',
      log: createLogger('silent'),
      retryAfterErrorMs: 1,
      run: async () => {
        runs += 1;
        if (runs === 1) throw new Error('storage busy');
        done();
        return undefined;
      },
    });
    loop.wake();
    await retried;
    expect(runs).toBe(2);
    await loop.stop();
  });
});
