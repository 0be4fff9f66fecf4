/** The address the platform gives a portal: its subdomain under the platform's portal domain. */
export function portalHost(subdomain: string, portalDomain: string): string {
  return `${subdomain}.${portalDomain}`;
}

export function portalUrl(subdomain: string, portalDomain: string): string {
  return `https://${portalHost(subdomain, portalDomain)}`;
}
