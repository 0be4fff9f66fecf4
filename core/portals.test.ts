import { describe, expect, it } from 'vitest';
import { isPortalLanguage, offerableLanguages } from '../vocabulary/languages.ts';
import { checkName, checkSubdomain } from './portals.ts';
import { displayName } from './status.ts';

describe('a portal URL subdomain', () => {
  it.each([
    ['contoso', 'contoso'],
    ['Contoso-Partners', 'contoso-partners'],
    ['  a1  ', 'a1'],
    ['x', 'x'],
    ['a'.repeat(63), 'a'.repeat(63)],
  ])('accepts %j as %j', (raw, stored) => {
    expect(checkSubdomain(raw)).toEqual({ value: stored, problems: [] });
  });

  it.each([
    ['', 'Enter a subdomain'],
    ['under_score', 'remove "_"'],
    ['with space', 'remove space'],
    ['dotted.name', 'remove "."'],
    ['café', 'remove "é"'],
    ['-leading', 'cannot start with a hyphen'],
    ['trailing-', 'cannot end with a hyphen'],
    ['-both-', 'cannot start or end with a hyphen'],
    ['a'.repeat(64), 'at most 63 characters'],
  ])('refuses %j, saying what to fix', (raw, hint) => {
    const { problems } = checkSubdomain(raw);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain(hint);
  });

  it('reports every problem at once: the leading hyphen as well as the underscore', () => {
    expect(checkSubdomain('-Bad_').problems).toEqual(['Use only letters, digits and hyphens in the subdomain; remove "_".', 'The subdomain cannot start with a hyphen.']);
    expect(checkSubdomain(`-${'a_'.repeat(40)}-`).problems).toEqual([
      'Use at most 63 characters for the subdomain (it has 82).',
      'Use only letters, digits and hyphens in the subdomain; remove "_".',
      'The subdomain cannot start or end with a hyphen.',
    ]);
  });

  it('names an invisible character by its code point rather than printing it', () => {
    expect(checkSubdomain('con\u0007toso\u202e').problems).toEqual(['Use only letters, digits and hyphens in the subdomain; remove U+0007 (BEL), U+202E (RIGHT-TO-LEFT OVERRIDE).']);
  });
});

describe('a portal name', () => {
  it('is required and bounded', () => {
    expect(checkName('   ').problems).toEqual(['Enter a name for the portal.']);
    expect(checkName('x'.repeat(101)).problems).toEqual(['Use at most 100 characters for the name (it has 101).']);
    expect(checkName(' Contoso ')).toEqual({ value: 'Contoso', problems: [] });
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
