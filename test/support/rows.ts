// Thousands of portals (and, if asked, a pending custom domain each) written straight into the
// database, for the benchmark's 10,000-row sweeps and for tests of how sweeps handle many rows. The
// portals use the 'bench' license and the sample tenant's instances and administrators.
import type { Db } from '../../db/client.ts';

export async function seedPortalRows(db: Db, count: number, status: string, options: { withDomains?: boolean } = {}) {
  const insert = db.$client.prepare(
    `insert into portals (name, subdomain, type, license_id, instance_id, language, administrator_id, audience, portal_type, status, resource_status, package_status, requested_by, attempt, created_at, updated_at, next_poll_at)
     values (?, ?, 'PRODUCTION', 'bench', ?, 'en-US', ?, ?, ?, ?, ?, ?, 'ada', 1, ?, ?, ?)`,
  );
  const addOn = db.$client.prepare(`insert into portal_add_ons (portal_id, add_on) values (?, 'PARTNER_FIELD_SERVICE')`);
  const certificate = db.$client.prepare(
    `insert or ignore into certificates (id, name, subject, sans, issuer, not_before, not_after, signature_algorithm, key_type, key_bits, thumbprint, certificate_pem, private_key_encrypted, created_by, created_at)
     values ('bench-cert', 'bench', 'CN=*.bench.test', '["*.bench.test"]', 'CN=bench', 0, 9999999999999, 'sha256WithRSAEncryption', 'RSA', 2048, 'BENCH', '-', '-', 'bench', 0)`,
  );
  const hostname = db.$client.prepare(`insert into hostnames (name, created_at) values (?, ?)`);
  const domain = db.$client.prepare(
    `insert into custom_domains (portal_id, hostname_id, certificate_id, status, cname_target, next_check_at, created_at, updated_at, reminders_sent, checks)
     values (?, ?, 'bench-cert', ?, ?, 0, ?, ?, '[]', 0)`,
  );
  const now = Date.now();
  db.$client.transaction(() => {
    certificate.run();
    for (let i = 0; i < count; i++) {
      const partner = i % 3 === 0;
      const resources = status === 'CONFIGURING' ? 'CREATING' : 'CREATED';
      const pkg = status === 'CONFIGURING' ? 'PENDING' : 'INSTALLED';
      const result = insert.run(
        `Portal ${i}`,
        `bench-${status.toLowerCase()}-${i}`,
        i % 2 ? 'contoso-field' : 'contoso-sales',
        i % 2 ? 'margaret' : 'ada',
        partner ? 'PARTNER' : 'CUSTOMER',
        partner ? 'PARTNER' : 'CUSTOMER_SELF_SERVICE',
        status,
        resources,
        pkg,
        now,
        now,
        0,
      );
      const id = Number(result.lastInsertRowid);
      if (partner) addOn.run(id);
      if (options.withDomains) {
        const host = hostname.run(`site-${status.toLowerCase()}-${i}.bench.test`, now);
        domain.run(id, Number(host.lastInsertRowid), 'PENDING_CNAME', `bench-${i}.portals.test`, now, now);
      }
    }
  })();
}
