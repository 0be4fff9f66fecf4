// Custom domain host names: one DNS name that can hold a CNAME, so never a zone apex.

/** Public suffixes of two labels under which the apex has three labels (contoso.co.uk). */
const TWO_LABEL_SUFFIXES = new Set([
  'co.uk', 'org.uk', 'ac.uk', 'gov.uk', 'me.uk', 'com.au', 'net.au', 'org.au', 'co.nz', 'org.nz', 'co.jp', 'ne.jp', 'or.jp',
  'com.br', 'co.za', 'com.mx', 'co.in', 'com.cn', 'com.tr', 'co.kr', 'com.sg', 'com.hk', 'co.il',
]);

const LABEL = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/;

export function checkHostname(raw: string, portalDomain: string): { value: string; problem?: string } {
  const value = raw.trim().toLowerCase().replace(/\.$/, '');
  if (value.length === 0) return { value, problem: 'Enter the host name of the custom domain, for example www.contoso.com.' };
  if (value.length > 253) return { value, problem: 'A host name has at most 253 characters.' };
  if (value.includes('*')) return { value, problem: 'A custom domain is one host name; a wildcard cannot be one.' };
  const labels = value.split('.');
  if (labels.length < 2 || !labels.every((l) => LABEL.test(l)))
    return { value, problem: `${value} is not a host name: use labels of letters, digits and hyphens separated by dots.` };
  if (value === portalDomain || value.endsWith(`.${portalDomain}`))
    return { value, problem: `${value} is a portal URL of the platform already; a custom domain is a name of your own.` };
  const suffix = labels.slice(-2).join('.');
  const apexLabels = TWO_LABEL_SUFFIXES.has(suffix) ? 3 : 2;
  if (labels.length <= apexLabels)
    return {
      value,
      problem: `${value} is the apex of its DNS zone, where a CNAME record cannot exist. Use a name below it, such as www.${value} or portal.${value}.`,
    };
  return { value };
}
