import { describe, expect, it } from 'vitest';
import { allowedActions, InvalidTransitionError, type LifecycleState, TRANSITIONS, transition } from './lifecycle.ts';
import { CONFIGURING_MESSAGE } from './messages.ts';

const awaiting: LifecycleState = { status: 'AWAITING_TERMS', resourceStatus: null, packageStatus: null };
const configuring: LifecycleState = { status: 'CONFIGURING', resourceStatus: 'CREATING', packageStatus: 'PENDING' };
const resourcesFailed: LifecycleState = { status: 'PROVISIONING_FAILED', resourceStatus: 'FAILED', packageStatus: 'PENDING' };
const installFailed: LifecycleState = { status: 'PROVISIONING_FAILED', resourceStatus: 'CREATED', packageStatus: 'INSTALL_FAILED' };
const provisioned: LifecycleState = { status: 'PROVISIONED', resourceStatus: 'CREATED', packageStatus: 'INSTALLED' };

describe('the lifecycle transition table', () => {
  it('walks the happy path from the terms to provisioned', () => {
    let state = transition(awaiting, 'GRANT_CONSENT');
    expect(state).toEqual(configuring);
    state = transition(state, 'RESOURCES_CREATED');
    state = transition(state, 'PACKAGE_INSTALL_STARTED');
    expect(state).toEqual({ status: 'CONFIGURING', resourceStatus: 'CREATED', packageStatus: 'INSTALLING' });
    expect(transition(state, 'PACKAGE_INSTALLED')).toEqual(provisioned);
  });

  it('fails on either track and restarts the step that failed', () => {
    expect(transition(configuring, 'RESOURCES_FAILED')).toEqual(resourcesFailed);
    expect(transition(resourcesFailed, 'RESTART_PROVISIONING')).toEqual(configuring);
    const installing: LifecycleState = { status: 'CONFIGURING', resourceStatus: 'CREATED', packageStatus: 'INSTALLING' };
    expect(transition(installing, 'PACKAGE_INSTALL_FAILED')).toEqual(installFailed);
    expect(transition(installFailed, 'RESTART_PROVISIONING')).toEqual({ status: 'CONFIGURING', resourceStatus: 'CREATED', packageStatus: 'PENDING' });
    expect(transition(installFailed, 'RETRY_PACKAGE_INSTALL')).toEqual({ status: 'CONFIGURING', resourceStatus: 'CREATED', packageStatus: 'PENDING' });
    expect(transition(installFailed, 'UPDATE_AND_RESTART')).toEqual(configuring);
  });

  it('refuses what the state does not allow, with a message a person can act on', () => {
    expect(() => transition(configuring, 'RESTART_PROVISIONING')).toThrow(new InvalidTransitionError(CONFIGURING_MESSAGE));
    expect(() => transition(provisioned, 'UPDATE_AND_RESTART')).toThrow(/portal URL cannot change/);
    expect(() => transition(resourcesFailed, 'RETRY_PACKAGE_INSTALL')).toThrow(/Restart provisioning instead/);
    expect(() => transition(awaiting, 'RESOURCES_CREATED')).toThrow(/waiting for its terms/);
    expect(() => transition({ ...awaiting, status: 'DECLINED' }, 'GRANT_CONSENT')).toThrow(/declined/);
  });

  it('offers the actions the table allows', () => {
    expect(allowedActions(awaiting)).toEqual(['ACCEPT_TERMS', 'DECLINE_TERMS', 'RENAME']);
    expect(allowedActions(configuring)).toEqual([]);
    expect(allowedActions(resourcesFailed)).toEqual(['RESTART_PROVISIONING', 'UPDATE_AND_RESTART', 'RENAME']);
    expect(allowedActions(installFailed)).toEqual(['RESTART_PROVISIONING', 'UPDATE_AND_RESTART', 'RETRY_PACKAGE_INSTALL', 'RENAME']);
    expect(allowedActions(provisioned)).toEqual(['RENAME']);
  });

  it('has no two rules for one event that could both apply', () => {
    for (const a of TRANSITIONS) {
      for (const b of TRANSITIONS) {
        if (a === b || a.on !== b.on) continue;
        const overlap = (Object.keys(a.from) as Array<keyof LifecycleState>).every((k) => !(k in b.from) || a.from[k] === b.from[k]);
        expect(overlap, `${a.on}: ${JSON.stringify(a.from)} and ${JSON.stringify(b.from)}`).toBe(false);
      }
    }
  });
});
