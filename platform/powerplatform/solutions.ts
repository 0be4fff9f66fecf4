// The Dataverse solutions the product looks for, by the names the rest of the product (and the
// simulator) gives them, with the unique names that tell they are installed in an environment.
import { ADD_ON_DEFINITIONS, SOLUTIONS } from '../../vocabulary/catalog.ts';

/** Product name → unique names of its anchor solution (any one present means installed). */
export const SOLUTION_UNIQUE_NAMES: Readonly<Record<string, readonly string[]>> = {
  [SOLUTIONS.FIELD_SERVICE]: ['FieldService', 'msdyn_FieldService'],
  [SOLUTIONS.PROJECT_SERVICE_AUTOMATION]: ['ProjectService', 'msdyn_ProjectService'],
  [SOLUTIONS.PARTNER_PORTAL]: ['PartnerPortal'],
  [ADD_ON_DEFINITIONS.PARTNER_FIELD_SERVICE.name]: ['PartnerFieldService'],
  [ADD_ON_DEFINITIONS.PARTNER_PROJECT_SERVICE.name]: ['PartnerProjectService'],
};

/** The product names of the solutions whose unique names are among `uniqueNames`. */
export function solutionNamesOf(uniqueNames: readonly string[]): string[] {
  const present = new Set(uniqueNames.map((n) => n.toLowerCase()));
  return Object.entries(SOLUTION_UNIQUE_NAMES)
    .filter(([, names]) => names.some((n) => present.has(n.toLowerCase())))
    .map(([name]) => name);
}

/** The first unique name of a product solution name (the fake installs it under this one). */
export function uniqueNameOf(name: string): string | undefined {
  return SOLUTION_UNIQUE_NAMES[name]?.[0];
}
