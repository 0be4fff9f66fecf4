import { describe, expect, it } from 'vitest';
import type { CertificateRow, CustomDomainRow } from '../db/schema.ts';
import { certificateReminder } from './certificate-reminders.ts';
import { bindingAnswerWrite, bindingStartedWrite, stepFailedWrite } from './ssl-binding-outcomes.ts';

const AT = new Date('2026-03-01T10:00:00Z');
const DAY = 86_400_000;
const pace = { at: AT, bindPollMs: 2_000 };

const domain = (overrides: Partial<CustomDomainRow> = {}) => ({ id: 4, portalId: 7, status: 'BINDING', bindOperationId: 'op-9', remindersSent: [], ...overrides }) as CustomDomainRow;

describe("the platform's answers about an SSL binding", () => {
  it('records the binding started and looks again after the pause', () => {
    const write = bindingStartedWrite(domain({ bindOperationId: null }), 'portal.contoso.com', 'op-9', pace);
    expect(write.expected).toEqual({ status: 'BINDING', bindOperationId: null });
    expect(write.changes).toMatchObject({ bindOperationId: 'op-9', leaseOwner: null, nextCheckAt: new Date(AT.getTime() + 2_000) });
    expect(write.events[0]?.type).toBe('DOMAIN_BINDING_STARTED');
  });

  it('looks again while the binding runs or the platform does not say', () => {
    for (const state of [undefined, { id: 'op-9', status: 'RUNNING' as const }]) {
      const write = bindingAnswerWrite(domain(), 'portal.contoso.com', state, pace);
      expect(write.changes).toMatchObject({ nextCheckAt: new Date(AT.getTime() + 2_000), leaseOwner: null });
      expect(write.events).toEqual([]);
    }
  });

  it('configures the domain when the binding is made, and alerts when it failed', () => {
    const made = bindingAnswerWrite(domain(), 'portal.contoso.com', { id: 'op-9', status: 'SUCCEEDED' }, pace);
    expect(made.changes).toMatchObject({ status: 'CONFIGURED', configuredAt: AT, nextCheckAt: null });
    expect(made.events[0]?.type).toBe('DOMAIN_CONFIGURED');
    const failed = bindingAnswerWrite(domain(), 'portal.contoso.com', { id: 'op-9', status: 'FAILED', error: 'Certificate rejected.' }, pace);
    expect(failed.changes).toMatchObject({ status: 'BIND_FAILED', lastError: 'Certificate rejected.' });
    expect(failed.events[0]).toMatchObject({ type: 'DOMAIN_BINDING_FAILED', data: { alert: true, domainId: 4 } });
  });

  it('lets go of a domain whose step failed, only while the poller still holds it', () => {
    expect(stepFailedWrite('me', pace)).toMatchObject({ expected: { leaseOwner: 'me' }, changes: { leaseOwner: null }, events: [] });
  });
});

describe('certificate reminders', () => {
  const certificate = { id: 'c1', name: 'contoso-2026', notAfter: new Date(AT.getTime() + 20 * DAY) } as CertificateRow;

  it('reminds once per threshold, marking the wider ones reached', () => {
    const first = certificateReminder(domain({ status: 'CONFIGURED' }), certificate, 'portal.contoso.com', AT);
    expect(first?.changes.remindersSent).toEqual([30]);
    expect(first?.events[0]?.message).toMatch(/expires in 20 days/);
    expect(certificateReminder(domain({ status: 'CONFIGURED', remindersSent: [30] }), certificate, 'portal.contoso.com', AT)).toBeUndefined();
    const late = certificateReminder(domain({ status: 'CONFIGURED' }), certificate, 'portal.contoso.com', new Date(AT.getTime() + 19.5 * DAY));
    expect(late?.changes.remindersSent).toEqual([30, 7, 1]);
  });

  it('says nothing before 30 days are left', () => {
    expect(certificateReminder(domain(), certificate, 'portal.contoso.com', new Date(AT.getTime() - 20 * DAY))).toBeUndefined();
  });
});
