import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { addOnsFor, FEATURE_TABLE, featuresOf, PORTAL_CATALOG, PORTAL_TYPE_NAMES, PORTAL_TYPES, type PortalType, portalTypesFor } from './catalog.ts';

// docs/architecture.md keeps the features of each portal type in our own words, grouped by the types
// that share them; the catalog must say the same.
const architecture = readFileSync(new URL('../docs/architecture.md', import.meta.url), 'utf8');

/** Each feature of the design's table with the portal types that have it. */
function documentedFeatures(): Map<string, PortalType[]> {
  const section = architecture.split('### Features of each portal type')[1]?.split(/\n#/)[0];
  if (!section) throw new Error('docs/architecture.md has no "Features of each portal type" section');
  const typeNamed = (name: string): PortalType => {
    const entry = Object.entries(PORTAL_TYPE_NAMES).find(([, full]) => full === `${name} Portal`);
    if (!entry) throw new Error(`"${name}" in docs/architecture.md is not a portal type of the catalog`);
    return entry[0] as PortalType;
  };
  const features = new Map<string, PortalType[]>();
  for (const line of section.split('\n').filter((l) => /^\| (?!portal types|---)/.test(l))) {
    const [types = '', names = ''] = line
      .split('|')
      .slice(1, -1)
      .map((cell) => cell.trim());
    const portalTypes = types === 'every type' ? [...PORTAL_TYPES] : types.split(', ').map(typeNamed);
    for (const feature of names.split(', ')) {
      if (features.has(feature)) throw new Error(`"${feature}" is listed twice in docs/architecture.md`);
      features.set(feature, portalTypes);
    }
  }
  return features;
}

describe('the portal catalog', () => {
  it('has the features of the design, feature by feature and portal type by portal type', () => {
    const documented = documentedFeatures();
    expect(documented.size).toBe(26);
    expect(FEATURE_TABLE).toHaveLength(26);
    expect(FEATURE_TABLE.map((row) => row.feature).sort()).toEqual([...documented.keys()].sort());
    for (const row of FEATURE_TABLE) {
      expect([...row.portalTypes].sort(), row.feature).toEqual([...(documented.get(row.feature) ?? [])].sort());
    }
  });

  it('offers the portal types of the rules for each audience', () => {
    expect(portalTypesFor('PARTNER')).toEqual(['CUSTOMER_SELF_SERVICE', 'CUSTOM', 'PARTNER', 'COMMUNITY']);
    expect(portalTypesFor('CUSTOMER')).toEqual(['CUSTOMER_SELF_SERVICE', 'CUSTOM', 'COMMUNITY']);
    expect(portalTypesFor('EMPLOYEE')).toEqual(['EMPLOYEE_SELF_SERVICE']);
  });

  it('gives add-ons to the Partner Portal only, each with the solution it needs', () => {
    expect(addOnsFor('PARTNER').map((a) => [a.name, a.requiredSolutions])).toEqual([
      ['Partner Project Service', ['Project Service Automation']],
      ['Partner Field Service', ['Field Service']],
    ]);
    for (const type of ['CUSTOMER_SELF_SERVICE', 'EMPLOYEE_SELF_SERVICE', 'COMMUNITY', 'CUSTOM'] as const) {
      expect(addOnsFor(type)).toEqual([]);
    }
  });

  it('serves each portal type with its features inside the audience tree', () => {
    const partner = PORTAL_CATALOG.find((a) => a.key === 'PARTNER')?.portalTypes.find((t) => t.key === 'PARTNER');
    expect(partner?.features).toEqual(featuresOf('PARTNER'));
    expect(featuresOf('EMPLOYEE_SELF_SERVICE')).toContain('Azure AD Authentication');
    expect(featuresOf('CUSTOM')).toHaveLength(12);
  });
});
