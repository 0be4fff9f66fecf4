// What the platform's answers about a custom domain's SSL binding mean: the write (the domain's new
// columns and the events they record) for a binding started, still running, made or failed. Pure:
// the DNS poller (jobs/dns-poller.ts) claims the domains, calls the platform and writes what these
// return, only while the domain is still binding with the same operation.
import type { DomainExpectation } from '../db/domain-store.ts';
import type { NewEvent } from '../db/outbox.ts';
import type { CustomDomainRow, customDomains } from '../db/schema.ts';
import type { OperationState } from '../platform/platform.ts';
import { customDomainConfiguredMessage } from './messages.ts';

/** The actor of the events the DNS poller records. */
export const DNS_ACTOR = 'system:dns';

/** One conditional change of a custom domain, with the events it records. */
export interface DomainWrite {
  expected: DomainExpectation;
  changes: Partial<typeof customDomains.$inferInsert> & { updatedAt: Date };
  events: NewEvent[];
}

/** The binding's clock and pace: when the answer came, and the pause before the next look. */
export interface BindingPace {
  at: Date;
  bindPollMs: number;
}

/** The domain is still binding with this operation (the lease may have been let go meanwhile). */
function binding(domain: CustomDomainRow): DomainExpectation {
  return { status: 'BINDING', bindOperationId: domain.bindOperationId };
}

/** Let go, to be looked at again after the pause. */
function lookAgain({ at, bindPollMs }: BindingPace) {
  return { leaseOwner: null, leaseUntil: null, nextCheckAt: new Date(at.getTime() + bindPollMs), updatedAt: at };
}

/** The write recording that the platform took the binding as operation `operationId`. */
export function bindingStartedWrite(domain: CustomDomainRow, host: string, operationId: string, pace: BindingPace): DomainWrite {
  return {
    expected: binding(domain),
    changes: { bindOperationId: operationId, ...lookAgain(pace) },
    events: [{ type: 'DOMAIN_BINDING_STARTED', message: `Binding the SSL certificate to ${host}.`, actor: DNS_ACTOR, data: { hostname: host } }],
  };
}

/** The write recording the platform's answer about a binding: still running (or unknown), made, or failed. */
export function bindingAnswerWrite(domain: CustomDomainRow, host: string, state: OperationState | undefined, pace: BindingPace): DomainWrite {
  const { at } = pace;
  if (!state || state.status === 'RUNNING') return { expected: binding(domain), changes: lookAgain(pace), events: [] };
  const done = { leaseOwner: null, leaseUntil: null, nextCheckAt: null, updatedAt: at };
  if (state.status === 'SUCCEEDED') {
    return {
      expected: binding(domain),
      changes: { status: 'CONFIGURED', configuredAt: at, ...done },
      events: [{ type: 'DOMAIN_CONFIGURED', message: customDomainConfiguredMessage(`https://${host}`), actor: DNS_ACTOR, data: { hostname: host } }],
    };
  }
  const error = state.error ?? 'The platform could not make the SSL binding.';
  return {
    expected: binding(domain),
    changes: { status: 'BIND_FAILED', lastError: error, ...done },
    events: [{ type: 'DOMAIN_BINDING_FAILED', message: `The SSL binding of ${host} failed: ${error}`, actor: DNS_ACTOR, data: { hostname: host, error, alert: true, domainId: domain.id } }],
  };
}

/** A step of the poller failed (a name server, the platform): let go of the domain and look again later. */
export function stepFailedWrite(owner: string, pace: BindingPace): DomainWrite {
  return { expected: { leaseOwner: owner }, changes: lookAgain(pace), events: [] };
}
