// What the jobs tell whoever watches them (app/metrics.ts counts it for /metrics): how long each run
// took, the rows claimed, the conditional writes that lost their row, the platform operations started
// and finished, the platform calls that failed and the CNAME checks made. The jobs know only this
// interface; without a watcher they are handed NO_JOB_OBSERVER, which does nothing.
import type { OperationKind } from '../platform/platform.ts';

/** The jobs, as their measures name them. */
export type JobName = 'provisioning' | 'dns' | 'terms-expiry' | 'certificate-reminders' | 'slack-delivery';

/**
 * Why a platform call failed: the platform said it is unavailable (PlatformUnavailableError, or a
 * missing sign-in), it took longer than the job's call timeout, it answered one request of a batch
 * with an error, or anything else went wrong.
 */
export type PlatformFailureKind = 'unavailable' | 'timeout' | 'request_error' | 'error';

export type OperationOutcome = 'succeeded' | 'failed';

export type CnameCheckResult = 'found' | 'not_yet' | 'transient';

export interface JobObserver {
  /** One run of `job` (a sweep, or the day's certificate reminders) ended, failed or not, after `seconds`. */
  runEnded(job: JobName, seconds: number): void;
  /** `job` claimed `rows` rows under its lease. */
  claimed(job: JobName, rows: number): void;
  /** `writes` conditional writes of `job` applied to nothing: the row was no longer held by it, or no longer as read. */
  leaseLost(job: JobName, writes: number): void;
  /** The platform took an operation, and the job recorded it. */
  operationStarted(kind: OperationKind): void;
  /** An operation ended on the platform, and the job recorded it. */
  operationFinished(kind: OperationKind, outcome: OperationOutcome): void;
  platformCallFailed(kind: PlatformFailureKind): void;
  cnameChecked(result: CnameCheckResult): void;
}

export const NO_JOB_OBSERVER: JobObserver = {
  runEnded: () => undefined,
  claimed: () => undefined,
  leaseLost: () => undefined,
  operationStarted: () => undefined,
  operationFinished: () => undefined,
  platformCallFailed: () => undefined,
  cnameChecked: () => undefined,
};

/** A job's call to the platform that took longer than the job waits. */
export class CallTimeoutError extends Error {
  override name = 'CallTimeoutError';
}

/** Errors that say the platform cannot be reached now. By name: jobs see the platform by type only. */
const UNAVAILABLE_ERRORS = new Set(['PlatformUnavailableError', 'SignInRequiredError']);

export function platformFailureKind(error: unknown): PlatformFailureKind {
  if (error instanceof CallTimeoutError) return 'timeout';
  if (error instanceof Error && UNAVAILABLE_ERRORS.has(error.name)) return 'unavailable';
  return 'error';
}

/** Seconds since `startedMs` (a performance.now() reading). */
export function secondsSince(startedMs: number): number {
  return (performance.now() - startedMs) / 1000;
}
