// The terms of service, versioned in the repo: core/terms/<version>.md. Accepting records the version.
import { readFileSync } from 'node:fs';

export const CURRENT_TERMS_VERSION = '2017-05-22';

export interface Terms {
  version: string;
  text: string;
}

let current: Terms | undefined;

export function currentTerms(): Terms {
  current ??= {
    version: CURRENT_TERMS_VERSION,
    text: readFileSync(new URL(`./terms/${CURRENT_TERMS_VERSION}.md`, import.meta.url), 'utf8'),
  };
  return current;
}
