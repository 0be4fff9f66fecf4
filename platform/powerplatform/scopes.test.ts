import { describe, expect, it } from 'vitest';
import { REQUIRED_PERMISSIONS, scopeFor, signInScope } from './scopes.ts';

const PUBLIC_CLOUD = {
  authorityHost: 'https://login.microsoftonline.com',
  powerPlatform: 'https://api.powerplatform.com',
  bap: 'https://api.bap.microsoft.com',
  graph: 'https://graph.microsoft.com',
};

describe('token scopes', () => {
  it("asks each public cloud API for its resource's .default; BAP takes PowerApps Service tokens", () => {
    expect(scopeFor('powerplatform', PUBLIC_CLOUD)).toBe('https://api.powerplatform.com/.default');
    expect(scopeFor('bap', PUBLIC_CLOUD)).toBe('https://service.powerapps.com/.default');
    expect(scopeFor('graph', PUBLIC_CLOUD)).toBe('https://graph.microsoft.com/.default');
    expect(scopeFor('dataverse', PUBLIC_CLOUD, 'https://contoso.crm4.dynamics.com/')).toBe('https://contoso.crm4.dynamics.com/.default');
    expect(signInScope(PUBLIC_CLOUD)).toBe('https://api.powerplatform.com/.default');
  });

  it('follows configured endpoints (other clouds, the fake), path prefixes included', () => {
    const fake = { ...PUBLIC_CLOUD, bap: 'https://127.0.0.1:8443/bap', graph: 'https://graph.microsoft.us/' };
    expect(scopeFor('bap', fake)).toBe('https://127.0.0.1:8443/bap/.default');
    expect(scopeFor('graph', fake)).toBe('https://graph.microsoft.us/.default');
    expect(scopeFor('dataverse', fake, 'https://127.0.0.1:8443/orgs/contoso-sales')).toBe('https://127.0.0.1:8443/orgs/contoso-sales/.default');
    expect(() => scopeFor('dataverse', fake)).toThrow(/instance URL/);
  });

  it('names every delegated permission the product needs, each with the API that offers it', () => {
    expect(REQUIRED_PERMISSIONS.map((p) => `${p.apiName}: ${p.permission}`)).toEqual([
      'Power Platform API: PowerPages.Websites.Read',
      'Power Platform API: PowerPages.Websites.Write',
      'PowerApps Service: User',
      'Microsoft Graph: User.Read.All',
      'Microsoft Graph: RoleManagement.Read.Directory',
      'Dynamics CRM: user_impersonation',
    ]);
  });
});
