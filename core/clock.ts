// The clock the rules and the jobs read the time from: the system's, or one a test hands in.

export type Clock = () => Date;

export const systemClock: Clock = () => new Date();

/** The clock of a set of dependencies: theirs when given, the system's otherwise. */
export function clockOf(deps: { now?: Clock | undefined }): Clock {
  return deps.now ?? systemClock;
}
