// Reads and checks the JSON file that describes the simulated tenant (PLATFORM_SEED).
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { projectFile } from '../../db/project-files.ts';
import { LICENSE_TYPES } from '../../vocabulary/catalog.ts';
import { findLanguage } from '../../vocabulary/languages.ts';
import { INSTANCE_ROLES } from '../platform.ts';

export const SAMPLE_SEED_PATH = projectFile('platform', 'local', 'sample-tenant.json');

const languageCode = z.string().refine((code) => findLanguage(code) !== undefined, { message: 'unknown language code' });

const seedSchema = z
  .object({
    users: z
      .array(
        z.object({
          id: z.string().min(1),
          email: z.email(),
          displayName: z.string().min(1),
          globalAdministrator: z.boolean(),
        }),
      )
      .min(1),
    instances: z
      .array(
        z.object({
          id: z.string().min(1),
          name: z.string().min(1),
          url: z.url(),
          baseLanguage: languageCode,
          languages: z.array(languageCode).min(1),
          solutions: z.array(z.string().min(1)),
        }),
      )
      .min(1),
    roles: z.array(z.object({ instanceId: z.string(), userId: z.string(), role: z.enum(INSTANCE_ROLES) })),
    licenses: z.array(z.object({ id: z.string().min(1), name: z.string().min(1), type: z.enum(LICENSE_TYPES), quantity: z.int().min(0) })),
    /** Portal URLs other tenants already use: resource creation for them fails. */
    takenSubdomains: z.array(z.string().min(1)).default([]),
    faults: z
      .array(
        z.object({
          subdomain: z.string().min(1),
          operation: z.enum(['CREATE_RESOURCES', 'INSTALL_PACKAGE', 'STATUS']),
          mode: z.enum(['ONCE', 'ALWAYS', 'UNAVAILABLE']),
          times: z.int().min(1).default(1),
          error: z.string().min(1).optional(),
        }),
      )
      .default([]),
  })
  .superRefine((seed, ctx) => {
    const users = new Set(seed.users.map((u) => u.id));
    const instances = new Set(seed.instances.map((i) => i.id));
    seed.roles.forEach((role, index) => {
      if (!users.has(role.userId)) ctx.addIssue({ code: 'custom', path: ['roles', index, 'userId'], message: `no user "${role.userId}"` });
      if (!instances.has(role.instanceId)) ctx.addIssue({ code: 'custom', path: ['roles', index, 'instanceId'], message: `no instance "${role.instanceId}"` });
    });
    seed.instances.forEach((instance, index) => {
      if (!instance.languages.includes(instance.baseLanguage))
        ctx.addIssue({ code: 'custom', path: ['instances', index, 'baseLanguage'], message: 'the base language must be one of its languages' });
    });
  });

export type TenantSeed = z.infer<typeof seedSchema>;

export function readTenantSeed(path: string): TenantSeed {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new Error(`PLATFORM_SEED: cannot read ${path}: ${(error as Error).message}`);
  }
  const parsed = seedSchema.safeParse(raw);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`);
    throw new Error(`PLATFORM_SEED: ${path} is not a valid tenant: ${problems.join('; ')}`);
  }
  return parsed.data;
}
