import { describe, expect, it } from 'vitest';
import { checkName, checkSubdomain } from './portals.ts';
import { displayName } from './status.ts';
import { isPortalLanguage, offerableLanguages } from './languages.ts';

describe('a portal URL subdomain', () => {
  it.each([
    ['contoso', 'contoso'],
    ['Contoso-Partners', 'contoso-partners'],
    ['  a1  ', 'a1'],
    ['x', 'x'],
    ['a'.repeat(63), 'a'.repeat(63)],
  ])('accepts %j as %j', (raw, stored) => {
    expect(checkSubdomain(raw)).toEqual({ value: stored });
  });

  it.each([
    ['', 'Enter a subdomain'],
    ['under_score', 'remove "_"'],
    ['with space', 'remove space'],
    ['dotted.name', 'remove "."'],
    ['café', 'remove "é"'],
    ['-leading', 'cannot start or end with a hyphen'],
    ['trailing-', 'cannot start or end with a hyphen'],
    ['a'.repeat(64), 'at most 63 characters'],
  ])('refuses %j, saying what to fix', (raw, hint) => {
    expect(checkSubdomain(raw).problem).toContain(hint);
  });
});

describe('a portal name', () => {
  it('is required and bounded', () => {
    expect(checkName('   ').problem).toBe('Enter a name for the portal.');
    expect(checkName('x'.repeat(101)).problem).toContain('at most 100');
    expect(checkName(' Contoso ')).toEqual({ value: 'Contoso' });
  });

  it('is shown with the state the seed gives it', () => {
    expect(displayName('Contoso', 'CONFIGURING')).toBe('Contoso-Configuring');
    expect(displayName('Contoso', 'PROVISIONING_FAILED')).toBe('Contoso-Provisioning Failed');
    expect(displayName('Contoso', 'PROVISIONED')).toBe('Contoso');
    expect(displayName('Contoso', 'AWAITING_TERMS')).toBe('Contoso');
  });
});

describe('portal languages', () => {
  it('never offers Arabic or Hebrew, even where they are installed', () => {
    expect(isPortalLanguage('ar-SA')).toBe(false);
    expect(isPortalLanguage('he-IL')).toBe(false);
    expect(offerableLanguages(['en-US', 'ar-SA', 'he-IL', 'fr-FR']).map((l) => l.code)).toEqual(['en-US', 'fr-FR']);
  });
});
