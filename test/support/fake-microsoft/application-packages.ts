// The fake BAP application packages install (the add-ons: Partner Field Service, Partner Project
// Service), POST …/environments/{name}/applicationPackages/{uniqueName}/install: 202, the solution
// present in the environment's Dataverse from then on. It refuses a package whose prerequisite
// solutions are missing, as the install would fail.

import { APPLICATION_PACKAGES_API_VERSION } from '../../../platform/powerplatform/mapping.ts';
import { SOLUTION_UNIQUE_NAMES } from '../../../platform/powerplatform/solutions.ts';
import { ADD_ON_DEFINITIONS } from '../../../vocabulary/catalog.ts';
import { type FakeAnswer, type FakeContext, type FakeRequest, jsonError, type Route } from './protocol.ts';

export function applicationPackageRoutes(ctx: FakeContext): Route[] {
  return [
    {
      method: 'POST',
      path: /^\/bap\/providers\/Microsoft\.BusinessAppPlatform\/environments\/(?<env>[^/]+)\/applicationPackages\/(?<name>[^/]+)\/install$/,
      handle: (req) => install(ctx, req),
    },
  ];
}

function install(ctx: FakeContext, req: FakeRequest): FakeAnswer {
  const token = ctx.authorize(req, `${ctx.url}/bap`, { delegatedOnly: true });
  if (req.url.searchParams.get('api-version') !== APPLICATION_PACKAGES_API_VERSION)
    return jsonError(400, 'MissingApiVersionParameter', `api-version ${APPLICATION_PACKAGES_API_VERSION} is required.`);
  const env = ctx.state.tenant.environments.find((e) => e.name === req.params.env);
  if (!env) return jsonError(404, 'EnvironmentNotFound', `The environment ${req.params.env} was not found.`);
  if (!ctx.state.tenant.roles.some((r) => r.environment === env.name && r.userId === token.userId && r.role === 'System Administrator'))
    return jsonError(403, 'Forbidden', 'Installing application packages needs the System Administrator role in the environment.');
  const name = Object.entries(SOLUTION_UNIQUE_NAMES).find(([, unique]) => unique.some((u) => u.toLowerCase() === req.params.name?.toLowerCase()))?.[0];
  const addOn = Object.values(ADD_ON_DEFINITIONS).find((d) => d.name === name);
  if (!name || !addOn) return jsonError(404, 'ApplicationPackageNotFound', `No application package ${req.params.name}.`);
  const missing = addOn.requiredSolutions.filter((s) => !env.solutions.includes(s));
  if (missing.length > 0) return jsonError(400, 'PrerequisiteMissing', `${addOn.name} needs ${missing.join(' and ')} installed first.`);
  if (!env.solutions.includes(name)) env.solutions.push(name);
  return { status: 202 };
}
