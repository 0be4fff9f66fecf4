// What the product's words become on Power Pages.
import { describe, expect, it } from 'vitest';
import { PORTAL_TYPES } from '../../vocabulary/catalog.ts';
import { LANGUAGES } from '../../vocabulary/languages.ts';
import { addOnProblem, addOnsToInstall, lcidOf, ownerOfKey, packageProblem, templateOf, websiteRecordIdOf } from './mapping.ts';

const instance = { id: 'contoso-field', name: 'Contoso Field Operations', url: 'https://x', baseLanguage: 'en-US', languages: ['en-US', 'fr-FR'], solutions: ['Project Service Automation'] };
const spec = { subdomain: 's', instanceId: 'contoso-field', language: 'en-US', portalType: 'PARTNER', addOns: ['PARTNER_FIELD_SERVICE'] };

describe('mapping to Power Pages', () => {
  it('gives every portal type a template; the Custom Portal becomes the default (starter) template', () => {
    expect(PORTAL_TYPES.map(templateOf)).toEqual(['CustomerSelfServicePortal', 'PartnerPortal', 'EmployeeSelfServicePortal', 'Community', 'DefaultPortalTemplate']);
    expect(() => templateOf('KIOSK')).toThrow('No Power Pages template');
  });

  it('gives every language its LCID', () => {
    for (const language of LANGUAGES) expect(lcidOf(language.code)).toBe(language.lcid);
    expect(lcidOf('fr-FR')).toBe(1036);
  });

  it('gives a portal one website record id for all its attempts, shaped as a GUID', () => {
    const id = websiteRecordIdOf(ownerOfKey('portal:12:1:CREATE_RESOURCES'));
    expect(id).toBe(websiteRecordIdOf(ownerOfKey('portal:12:3:CREATE_RESOURCES')));
    expect(id).not.toBe(websiteRecordIdOf('portal:13'));
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-8[0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('names what a package install lacks as the simulator does, and which add-on packages to install', () => {
    expect(packageProblem(instance, { ...spec, language: 'fr-FR' })).toContain('which is English, but the portal language is French');
    expect(addOnProblem(instance, spec)).toBe('Install Failed: Partner Field Service needs Field Service installed first in Contoso Field Operations.');
    const ready = { ...instance, solutions: ['Field Service'] };
    expect(packageProblem(ready, spec)).toBeUndefined();
    expect(addOnsToInstall(ready, spec)).toEqual(['PartnerFieldService']);
    expect(addOnsToInstall({ ...ready, solutions: ['Field Service', 'Partner Field Service'] }, spec)).toEqual([]);
  });
});
