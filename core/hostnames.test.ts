// What a custom domain's host name may be: a name that can hold a CNAME of one's own.
import { describe, expect, it } from 'vitest';
import { checkHostname } from './hostnames.ts';

const PORTAL_DOMAIN = 'portals.test';
const problemOf = (name: string) => checkHostname(name, PORTAL_DOMAIN).problem;

describe('checkHostname', () => {
  it('accepts a name below the apex of a zone, in any case and with a trailing dot', () => {
    expect(checkHostname('Portal.Contoso.COM.', PORTAL_DOMAIN)).toEqual({ value: 'portal.contoso.com' });
    for (const name of ['www.contoso.co.uk', 'portal.contoso.gov.au', 'a.b.contoso.com.br', 'portal.customer.test', 'portal.contoso.k12.ca.us'])
      expect(problemOf(name), name).toBeUndefined();
  });

  it('refuses every IP literal, IPv4 in any form and IPv6 with or without brackets, saying it is an IP address', () => {
    for (const ip of ['10.1.2.3', '10.1.2.3.', ' 192.168.0.1 ', '::1', '[::1]', '[2001:db8::5]', '2001:DB8::5', '::ffff:10.1.2.3', '[::ffff:10.1.2.3]', 'fe80::1%eth0']) {
      expect(problemOf(ip), ip).toMatch(/is an IP address; a custom domain is a host name/);
    }
    // Forms a browser reads as 10.1.2.3 (or refuses) though they are not dotted quads.
    for (const ip of ['10.1.515', '0x0a.1.2.3', '010.001.002.003', '1.2.3.256', 'portal.contoso.0x1f']) {
      expect(problemOf(ip), ip).toMatch(/ends in a number, so browsers read it as an IP address/);
    }
  });

  it('finds the apex of a zone with the Public Suffix List, not only under two-label suffixes', () => {
    for (const [apex, example] of [
      ['contoso.gov.au', 'www.contoso.gov.au'],
      ['contoso.co.uk', 'www.contoso.co.uk'],
      ['contoso.k12.ca.us', 'www.contoso.k12.ca.us'],
      ['contoso.com', 'www.contoso.com'],
      ['customer.test', 'www.customer.test'],
    ]) {
      expect(problemOf(apex!), apex).toBe(`${apex} is the apex of its DNS zone, where a CNAME record cannot exist. Use a name below it, such as ${example} or portal.${apex}.`);
    }
  });

  it('refuses a public suffix itself, ICANN or private', () => {
    for (const suffix of ['gov.au', 'co.uk', 'azurewebsites.net', 'github.io'])
      expect(problemOf(suffix), suffix).toBe(`${suffix} is a public suffix, under which many owners register their own names; use a host name in a domain of your own.`);
  });

  it('takes a name handed out under a private suffix as the apex of its holder, and a name below it as a host name', () => {
    expect(problemOf('contoso.azurewebsites.net')).toMatch(/is the apex of its DNS zone/);
    expect(problemOf('contoso.github.io')).toMatch(/is the apex of its DNS zone/);
    expect(problemOf('contoso.uk.com')).toMatch(/is the apex of its DNS zone/);
    expect(problemOf('portal.contoso.uk.com')).toBeUndefined();
  });

  it('still refuses wildcards, bad labels and the platform’s own portal URLs', () => {
    expect(problemOf('*.contoso.com')).toMatch(/wildcard/);
    expect(problemOf('-bad.contoso.com')).toMatch(/is not a host name/);
    expect(problemOf('contoso-partners.portals.test')).toMatch(/is a portal URL of the platform already/);
    expect(problemOf('')).toMatch(/Enter the host name/);
  });
});
