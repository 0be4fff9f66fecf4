// Work that follows an acknowledgement takes turns: one handler's next stretch per turn of the event
// loop, with Node's I/O polled in between. Without this a burst of commands runs all its follow-up
// work (GraphQL, building views) back to back, and requests that arrive meanwhile wait behind it for
// their own acknowledgement, which Slack wants within 3 seconds.
const waiting: Array<() => void> = [];
let scheduled = false;

function runOne(): void {
  scheduled = false;
  waiting.shift()?.();
  if (waiting.length > 0) schedule();
}

function schedule(): void {
  if (scheduled) return;
  scheduled = true;
  setImmediate(runOne);
}

/** Resolves on a later turn of the event loop, after the turns of those who asked first. */
export function nextTurn(): Promise<void> {
  return new Promise<void>((resolve) => {
    waiting.push(resolve);
    schedule();
  });
}

/** Acknowledges at once, then waits for a turn before the slower work that follows. */
export async function ackThenTakeTurn(ack: () => Promise<void>): Promise<void> {
  await ack();
  await nextTurn();
}
