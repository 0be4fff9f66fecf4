// Custom domain host names: one DNS name that can hold a CNAME, so never an IP address, a public
// suffix or a zone apex.
import { isIP } from 'node:net';
import { parse } from 'tldts';

const LABEL = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/;

/**
 * A browser reads a host whose last label is a number (decimal, or hex with 0x) as an IPv4 address
 * in one of its short or numeric forms (10.1.515, 0x0a.1.2.3), or refuses it; no top-level domain
 * is a number, so such a name can never be a host name that a CNAME makes reachable.
 */
const NUMERIC_LAST_LABEL = /^(?:\d+|0x[0-9a-f]*)$/;

function ipLiteralProblem(value: string): string | undefined {
  const unbracketed = /^\[.*\]$/.test(value) ? value.slice(1, -1) : value;
  if (isIP(unbracketed) !== 0) return `${value} is an IP address; a custom domain is a host name such as portal.contoso.com, with a CNAME record to the portal.`;
  if (NUMERIC_LAST_LABEL.test(value.split('.').at(-1) ?? ''))
    return `${value} ends in a number, so browsers read it as an IP address; a custom domain is a host name such as portal.contoso.com.`;
  return undefined;
}

/**
 * The name a CNAME can be created at is below the registrable domain (the zone apex), which the
 * Public Suffix List finds. Its private section counts too: a name given out by a hosting service
 * (contoso.azurewebsites.net, contoso.github.io) or a private registry (contoso.uk.com) is the apex
 * of what its holder gets, and the holder of a hosting service's name cannot add records there at
 * all, so taking it as a domain of one's own would only end in a CNAME that never appears.
 */
function publicSuffixOf(value: string): { suffix: string | null; apex: string | null } {
  const parsed = parse(value, { allowPrivateDomains: true, extractHostname: false, detectIp: false });
  return { suffix: parsed.publicSuffix, apex: parsed.domain };
}

export function checkHostname(raw: string, portalDomain: string): { value: string; problem?: string } {
  const value = raw.trim().toLowerCase().replace(/\.$/, '');
  if (value.length === 0) return { value, problem: 'Enter the host name of the custom domain, for example www.contoso.com.' };
  const ipProblem = ipLiteralProblem(value);
  if (ipProblem) return { value, problem: ipProblem };
  if (value.length > 253) return { value, problem: 'A host name has at most 253 characters.' };
  if (value.includes('*')) return { value, problem: 'A custom domain is one host name; a wildcard cannot be one.' };
  const labels = value.split('.');
  if (labels.length < 2 || !labels.every((l) => LABEL.test(l))) return { value, problem: `${value} is not a host name: use labels of letters, digits and hyphens separated by dots.` };
  if (value === portalDomain || value.endsWith(`.${portalDomain}`)) return { value, problem: `${value} is a portal URL of the platform already; a custom domain is a name of your own.` };
  const { suffix, apex } = publicSuffixOf(value);
  if (!apex || value === suffix) return { value, problem: `${value} is a public suffix, under which many owners register their own names; use a host name in a domain of your own.` };
  if (value === apex)
    return {
      value,
      problem: `${value} is the apex of its DNS zone, where a CNAME record cannot exist. Use a name below it, such as www.${value} or portal.${value}.`,
    };
  return { value };
}
