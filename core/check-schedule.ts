// When a custom domain waiting for its CNAME is checked again, by its age. Kept apart from the domain
// rules so that the configuration can read the default without loading them.

/** How often a pending domain is checked, by its age: each step holds until `untilMs`. */
export type CheckSchedule = ReadonlyArray<{ untilMs: number; everyMs: number }>;

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
/** Each minute for the first hour, every 10 minutes to 24 hours, hourly to 72 hours; then give up. */
export const DEFAULT_SCHEDULE: CheckSchedule = [
  { untilMs: HOUR, everyMs: MINUTE },
  { untilMs: 24 * HOUR, everyMs: 10 * MINUTE },
  { untilMs: 72 * HOUR, everyMs: HOUR },
];

/** The same shape in seconds instead of hours, for tests (DNS_SCHEDULE sets it for a running service). */
export const FAST_SCHEDULE: CheckSchedule = [
  { untilMs: 2_000, everyMs: 100 },
  { untilMs: 4_000, everyMs: 500 },
  { untilMs: 6_000, everyMs: 1_000 },
];

/** The pause before the next check of a domain of this age, or undefined when it is time to give up. */
export function nextCheckDelay(ageMs: number, schedule: CheckSchedule = DEFAULT_SCHEDULE): number | undefined {
  return schedule.find((step) => ageMs < step.untilMs)?.everyMs;
}
