import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { FEATURE_TABLE, PORTAL_CATALOG, PORTAL_TYPE_NAMES, type PortalType, addOnsFor, featuresOf, portalTypesFor } from './catalog.ts';

// The seed document, Microsoft's "Provision a portal" page, as committed in docs/seed.md.
const seed = readFileSync(new URL('../docs/seed.md', import.meta.url), 'utf8');

function seedFeatureTable(): { columns: string[]; rows: Array<{ feature: string; marks: boolean[] }> } {
  const table = seed.split('\n').filter((line) => /^\|/.test(line));
  const header = table.find((line) => line.startsWith('| Feature'));
  if (!header) throw new Error('the seed has no feature table');
  const cells = (line: string) => line.split('|').slice(1, -1).map((c) => c.trim());
  const columns = cells(header).slice(1);
  const start = table.indexOf(header) + 2;
  const rows = [];
  for (const line of table.slice(start)) {
    const [feature, ...marks] = cells(line);
    if (!feature || marks.length !== columns.length) break;
    rows.push({ feature, marks: marks.map((m) => m === '•') });
  }
  return { columns, rows };
}

describe('the portal catalog', () => {
  it('has the feature table of the seed, feature by feature and mark by mark', () => {
    const { columns, rows } = seedFeatureTable();
    expect(rows).toHaveLength(26);
    expect(FEATURE_TABLE).toHaveLength(26);
    const typeOfColumn = columns.map((name) => {
      const entry = Object.entries(PORTAL_TYPE_NAMES).find(([, n]) => n === name);
      if (!entry) throw new Error(`the seed column "${name}" is not a portal type of the catalog`);
      return entry[0] as PortalType;
    });
    expect(FEATURE_TABLE.map((r) => r.feature)).toEqual(rows.map((r) => r.feature));
    for (const row of rows) {
      const expected = typeOfColumn.filter((_, i) => row.marks[i]);
      const ours = FEATURE_TABLE.find((r) => r.feature === row.feature);
      expect([...(ours?.portalTypes ?? [])].sort(), row.feature).toEqual(expected.sort());
    }
  });

  it('offers the portal types of the seed for each audience', () => {
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
