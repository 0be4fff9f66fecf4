// The driver's operations. Power Pages has no operation of its own for most steps, so an operation
// id here carries what is needed to look at it later (environment, site, Operation-Location, what a
// failure would be checked against): the driver keeps no state, and a restarted process polls on.
//
// CREATE_RESOURCES  POST websites (after looking the site up by subdomain: a create whose answer was
//                   lost is adopted, not repeated); done when its operation (or the site) completes.
// INSTALL_PACKAGE   Power Pages installs the package as part of the create; this watches the site's
//                   packageInstallStatus. A site whose install failed is restarted, which runs the
//                   install again (InstallRetrying); the URL is kept.
// BIND_SSL          upload the .pfx, add the custom domain, then (once the domain's operation is done)
//                   the SSL binding. Production sites only; one host name per site.
// UNBIND_SSL        delete the binding and the custom domain; nothing to wait for.
import type { OperationState } from '../platform.ts';

export type OperationPlan =
  | { k: 'create'; env: string; sub: string; loc?: string }
  | { k: 'install'; env: string; sub: string; site: string; lang: string; type: string; addOns: string[] }
  | { k: 'bind'; env: string; sub: string; site: string; host: string; thumb: string; loc?: string }
  | { k: 'done'; ok: boolean; error?: string; n: string };

const PREFIX = 'pp1.';

export function encodeOperation(plan: OperationPlan): string {
  return PREFIX + Buffer.from(JSON.stringify(plan)).toString('base64url');
}

export function decodeOperation(id: string): OperationPlan | undefined {
  if (!id.startsWith(PREFIX)) return undefined;
  try {
    const plan = JSON.parse(Buffer.from(id.slice(PREFIX.length), 'base64url').toString('utf8')) as OperationPlan;
    return typeof plan === 'object' && plan && 'k' in plan ? plan : undefined;
  } catch {
    return undefined;
  }
}

/** An operation decided when it was asked for (refused, or done at once). `n` keeps ids apart. */
export function settled(outcome: { ok: true } | { ok: false; error: string }, nonce: string): string {
  return encodeOperation({ k: 'done', ...outcome, n: nonce });
}

export function stateOf(id: string, status: OperationState['status'], error?: string): OperationState {
  return { id, status, ...(error !== undefined ? { error } : {}) };
}
