// The time as the rules read it: the clock the caller gave (tests move it by hand), else the system's.

export function now(deps: { now?: (() => Date) | undefined }): Date {
  return deps.now ? deps.now() : new Date();
}
