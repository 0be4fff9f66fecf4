// Sentences the seed document fixes, word for word, so every surface says exactly the same thing.

export const CONFIGURING_MESSAGE = 'This portal is currently being configured and updates are not allowed. Please try again later.';

export const PACKAGE_IN_PROGRESS_MESSAGE = 'Your Portal URL has been created. However, package installation is still in progress. Please check status here.';

export const GETTING_SET_UP_MESSAGE = 'Getting set up.';

export const ADD_CNAME_MESSAGE = 'Please add a CNAME record to this domain name.';

export function customDomainConfiguredMessage(customDomainName: string): string {
  return `Custom Domain name has been successfully configured for this Portal. You can now go to ${customDomainName} to access this portal.`;
}
