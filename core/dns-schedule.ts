// How often a pending custom domain's CNAME is checked, by the domain's age, and when to give up.
// Defined once: the default of DNS_SCHEDULE (app/config.ts) is DEFAULT_SCHEDULE.

/** Each step holds until `untilMs` of age, checking every `everyMs`; past the last step, give up. */
export type CheckSchedule = ReadonlyArray<{ untilMs: number; everyMs: number }>;

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/** Each minute for the first hour, every 10 minutes to 24 hours, hourly to 72 hours; then give up. */
export const DEFAULT_SCHEDULE: CheckSchedule = [
  { untilMs: HOUR, everyMs: MINUTE },
  { untilMs: 24 * HOUR, everyMs: 10 * MINUTE },
  { untilMs: 72 * HOUR, everyMs: HOUR },
];

/**
 * The tests' schedule, over in seconds: every 100 ms for 2 s, every 500 ms to 4 s, each second to
 * 6 s; then give up. Only tests use it (test/support/tenant.ts); a process takes DNS_SCHEDULE.
 */
export const FAST_SCHEDULE: CheckSchedule = [
  { untilMs: 2_000, everyMs: 100 },
  { untilMs: 4_000, everyMs: 500 },
  { untilMs: 6_000, everyMs: 1_000 },
];

/** The pause before the next check of a domain of this age, or undefined when it is time to give up. */
export function nextCheckDelay(ageMs: number, schedule: CheckSchedule = DEFAULT_SCHEDULE): number | undefined {
  return schedule.find((step) => ageMs < step.untilMs)?.everyMs;
}
