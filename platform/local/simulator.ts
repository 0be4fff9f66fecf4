// The embedded platform: a simulated tenant kept in SQLite, seeded once from a JSON file.
import { and, eq, inArray, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import type { DirectoryUser, Instance, License, Platform, RoleAssignment } from '../platform.ts';
import { readTenantSeed } from './seed.ts';
import { simInstances, simLicenses, simRoles, simUsers } from './schema.ts';

export class LocalPlatform implements Platform {
  constructor(private readonly db: Db) {}

  /** Loads the tenant from the seed file when the database holds none yet; a later start keeps its state. */
  static open(db: Db, seedPath: string): LocalPlatform {
    const seeded = db.select({ n: sql<number>`count(*)` }).from(simUsers).get();
    if (!seeded || seeded.n === 0) {
      const seed = readTenantSeed(seedPath);
      db.transaction((tx) => {
        tx.insert(simUsers).values(seed.users).run();
        tx.insert(simInstances).values(seed.instances).run();
        if (seed.roles.length > 0) tx.insert(simRoles).values(seed.roles).run();
        if (seed.licenses.length > 0) tx.insert(simLicenses).values(seed.licenses).run();
      });
    }
    return new LocalPlatform(db);
  }

  async getUsers(ids: readonly string[]): Promise<DirectoryUser[]> {
    if (ids.length === 0) return [];
    return this.db.select().from(simUsers).where(inArray(simUsers.id, [...ids]));
  }

  async findUserByEmail(email: string): Promise<DirectoryUser | undefined> {
    const rows = await this.db
      .select()
      .from(simUsers)
      .where(sql`lower(${simUsers.email}) = ${email.trim().toLowerCase()}`)
      .limit(1);
    return rows[0];
  }

  async listInstances(): Promise<Instance[]> {
    return this.db.select().from(simInstances).orderBy(simInstances.name);
  }

  async getInstances(ids: readonly string[]): Promise<Instance[]> {
    if (ids.length === 0) return [];
    return this.db.select().from(simInstances).where(inArray(simInstances.id, [...ids]));
  }

  async listRoles(filter: { userId?: string; instanceId?: string }): Promise<RoleAssignment[]> {
    const conditions = [
      filter.userId !== undefined ? eq(simRoles.userId, filter.userId) : undefined,
      filter.instanceId !== undefined ? eq(simRoles.instanceId, filter.instanceId) : undefined,
    ];
    return this.db
      .select()
      .from(simRoles)
      .where(and(...conditions));
  }

  async listLicenses(): Promise<License[]> {
    return this.db.select().from(simLicenses).orderBy(simLicenses.id);
  }
}
