// The terms of service, versioned in the repo: core/terms/<version>.md. Accepting records the version.
import { readFileSync } from 'node:fs';
import { projectFile } from '../db/project-files.ts';

export const CURRENT_TERMS_VERSION = '2017-05-22';

export interface Terms {
  version: string;
  text: string;
}

let current: Terms | undefined;

export function currentTerms(): Terms {
  current ??= {
    version: CURRENT_TERMS_VERSION,
    text: readFileSync(projectFile('core', 'terms', `${CURRENT_TERMS_VERSION}.md`), 'utf8'),
  };
  return current;
}
