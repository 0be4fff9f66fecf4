import { describe, expect, it } from 'vitest';
import type { PortalRow } from '../db/schema.ts';
import {
  callFailedWrite,
  finishedWrite,
  nextOperation,
  type OutcomeContext,
  operationOf,
  operationRequest,
  operationStateOf,
  outcomeOf,
  startedWrite,
  waitingOn,
} from './provisioning-outcomes.ts';

const AT = new Date('2026-03-01T10:00:00Z');
const OWNER = 'host:1:abcd';
const ctx: OutcomeContext = { owner: OWNER, at: AT, pace: { pollDelayMs: 5_000, backoffMs: 2_000, maxBackoffMs: 60_000, alertAfter: 3 } };

function portal(overrides: Partial<PortalRow> = {}): PortalRow {
  return {
    id: 7,
    name: 'Contoso Partners',
    subdomain: 'contoso-partners',
    type: 'PRODUCTION',
    licenseId: 'lic-1',
    instanceId: 'inst-1',
    language: 'en-US',
    administratorId: 'user-1',
    audience: 'PARTNER',
    portalType: 'PARTNER',
    status: 'CONFIGURING',
    resourceStatus: 'CREATING',
    packageStatus: 'PENDING',
    requestedBy: 'user:admin',
    notifyChannel: null,
    termsVersion: '1',
    termsAcceptedAt: AT,
    termsAcceptedBy: 'user:admin',
    consentGrantedAt: AT,
    termsRemindedAt: null,
    attempt: 1,
    resourcesOperationId: null,
    packageOperationId: null,
    lastError: null,
    provisionedAt: null,
    leaseOwner: OWNER,
    leaseUntil: new Date(AT.getTime() + 60_000),
    nextPollAt: AT,
    pollFailures: 0,
    createdAt: AT,
    updatedAt: AT,
    ...overrides,
  };
}

describe('which operation a configuring portal needs', () => {
  it('starts the URL first, waits on it, then starts the package and waits on that', () => {
    expect(nextOperation(portal())).toBe('CREATE_RESOURCES');
    expect(operationOf(portal())).toBeUndefined();
    const creating = portal({ resourcesOperationId: 'op-1' });
    expect(nextOperation(creating)).toBeUndefined();
    expect(operationOf(creating)).toBe('op-1');
    const created = portal({ resourceStatus: 'CREATED', resourcesOperationId: 'op-1' });
    expect(nextOperation(created)).toBe('INSTALL_PACKAGE');
    expect(operationOf(created)).toBeUndefined();
    expect(operationOf(portal({ resourceStatus: 'CREATED', packageStatus: 'INSTALLING', packageOperationId: 'op-2' }))).toBe('op-2');
  });

  it('names the kind of the operation waited on', () => {
    expect(waitingOn(portal())).toBeUndefined();
    expect(waitingOn(portal({ resourcesOperationId: 'op-1' }))).toEqual({ id: 'op-1', kind: 'CREATE_RESOURCES' });
    expect(waitingOn(portal({ resourceStatus: 'CREATED', packageStatus: 'INSTALLING', packageOperationId: 'op-2' }))).toEqual({ id: 'op-2', kind: 'INSTALL_PACKAGE' });
    expect(waitingOn(portal({ status: 'PROVISIONED', resourceStatus: 'CREATED', packageStatus: 'INSTALLED', packageOperationId: 'op-2' }))).toBeUndefined();
  });

  it('starts nothing for a portal that is not configuring', () => {
    expect(nextOperation(portal({ status: 'PROVISIONING_FAILED', resourceStatus: 'FAILED' }))).toBeUndefined();
  });

  it('keys a request by portal, attempt and kind, so a retry starts nothing new', () => {
    const request = operationRequest(portal({ attempt: 3 }), 'CREATE_RESOURCES', ['PARTNER_FIELD_SERVICE']);
    expect(request).toEqual({
      kind: 'CREATE_RESOURCES',
      key: 'portal:7:3:CREATE_RESOURCES',
      spec: {
        name: 'Contoso Partners',
        licenseType: 'PRODUCTION',
        subdomain: 'contoso-partners',
        instanceId: 'inst-1',
        language: 'en-US',
        portalType: 'PARTNER',
        addOns: ['PARTNER_FIELD_SERVICE'],
      },
    });
  });

  it('takes an operation the platform no longer knows as failed', () => {
    const state = operationStateOf(portal({ resourcesOperationId: 'op-gone' }), new Map());
    expect(state).toMatchObject({ status: 'FAILED', error: expect.stringMatching(/no longer knows this operation/) });
  });
});

describe('what a finished operation means', () => {
  it('names the outcome by the step and the answer', () => {
    const creating = portal({ resourcesOperationId: 'op-1' });
    const installing = portal({ resourceStatus: 'CREATED', packageStatus: 'INSTALLING', packageOperationId: 'op-2' });
    expect(outcomeOf(creating, { id: 'op-1', status: 'SUCCEEDED' })).toBe('RESOURCES_CREATED');
    expect(outcomeOf(creating, { id: 'op-1', status: 'FAILED' })).toBe('RESOURCES_FAILED');
    expect(outcomeOf(installing, { id: 'op-2', status: 'SUCCEEDED' })).toBe('PACKAGE_INSTALLED');
    expect(outcomeOf(installing, { id: 'op-2', status: 'FAILED' })).toBe('PACKAGE_INSTALL_FAILED');
  });

  it('keeps a portal whose URL was made held, so the same round starts its package', () => {
    const write = finishedWrite(portal({ resourcesOperationId: 'op-1' }), { id: 'op-1', status: 'SUCCEEDED' }, ctx);
    expect(write.expected).toMatchObject({ status: 'CONFIGURING', resourceStatus: 'CREATING', leaseOwner: OWNER, attempt: 1 });
    expect(write.changes).toMatchObject({ resourceStatus: 'CREATED', leaseOwner: OWNER, lastError: null });
    expect(write.events.map((e) => e.type)).toEqual(['RESOURCES_CREATED']);
  });

  it('lets go of a provisioned portal and says it is live', () => {
    const installing = portal({ resourceStatus: 'CREATED', packageStatus: 'INSTALLING', packageOperationId: 'op-2' });
    const write = finishedWrite(installing, { id: 'op-2', status: 'SUCCEEDED' }, ctx);
    expect(write.changes).toMatchObject({ status: 'PROVISIONED', packageStatus: 'INSTALLED', provisionedAt: AT, leaseOwner: null, leaseUntil: null });
    expect(write.events[0]).toMatchObject({ type: 'PORTAL_PROVISIONED', message: expect.stringMatching(/Contoso Partners is provisioned/) });
  });

  it('records a failure with the platform reason, the failed name and an alert', () => {
    const write = finishedWrite(portal({ resourcesOperationId: 'op-1' }), { id: 'op-1', status: 'FAILED', error: 'Subdomain taken.' }, ctx);
    expect(write.changes).toMatchObject({ status: 'PROVISIONING_FAILED', resourceStatus: 'FAILED', lastError: 'Subdomain taken.', leaseOwner: null });
    expect(write.events[0]).toMatchObject({
      type: 'PROVISIONING_FAILED',
      message: 'Contoso Partners-Provisioning Failed: Subdomain taken.',
      data: { step: 'RESOURCES', error: 'Subdomain taken.', alert: true },
    });
  });

  it('says the platform is back before the outcome after an alert about it', () => {
    const write = finishedWrite(portal({ resourcesOperationId: 'op-1', pollFailures: 3 }), { id: 'op-1', status: 'SUCCEEDED' }, ctx);
    expect(write.events.map((e) => e.type)).toEqual(['PLATFORM_REACHABLE', 'RESOURCES_CREATED']);
  });
});

describe('an operation started', () => {
  it('records the URL operation and lets go until the next look', () => {
    const write = startedWrite(portal(), 'CREATE_RESOURCES', 'op-1', ctx);
    expect(write.changes).toMatchObject({ resourcesOperationId: 'op-1', leaseOwner: null, nextPollAt: new Date(AT.getTime() + 5_000), pollFailures: 0 });
    expect(write.events).toEqual([expect.objectContaining({ type: 'RESOURCES_REQUESTED', data: { operationId: 'op-1' } })]);
  });

  it('moves the package to INSTALLING when its installation starts', () => {
    const write = startedWrite(portal({ resourceStatus: 'CREATED', resourcesOperationId: 'op-1' }), 'INSTALL_PACKAGE', 'op-2', ctx);
    expect(write.changes).toMatchObject({ packageStatus: 'INSTALLING', packageOperationId: 'op-2' });
    expect(write.events[0]?.type).toBe('PACKAGE_INSTALL_STARTED');
  });
});

describe('a failed platform call', () => {
  it('backs off, doubling up to the most, and alerts once when failures reach alertAfter', () => {
    const first = callFailedWrite(portal(), 'timeout', ctx);
    expect(first.changes).toMatchObject({ pollFailures: 1, nextPollAt: new Date(AT.getTime() + 2_000), leaseOwner: null });
    expect(first.events).toEqual([]);
    const third = callFailedWrite(portal({ pollFailures: 2 }), 'timeout', ctx);
    expect(third.changes.nextPollAt).toEqual(new Date(AT.getTime() + 8_000));
    expect(third.events).toEqual([expect.objectContaining({ type: 'PLATFORM_UNREACHABLE', data: { failures: 3, reason: 'timeout', alert: true } })]);
    expect(callFailedWrite(portal({ pollFailures: 3 }), 'timeout', ctx).events).toEqual([]);
    expect(callFailedWrite(portal({ pollFailures: 20 }), 'timeout', ctx).changes.nextPollAt).toEqual(new Date(AT.getTime() + 60_000));
  });
});
