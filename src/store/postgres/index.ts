// PostgreSQL/PostGIS store: schema migrations, and every port over one connection pool. Several server processes
// on several machines share it; each port method owns its transaction (src/store/postgres/tx.ts).
import pg from 'pg';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Store } from '../store.ts';
import { redactUrl } from '../open-store.ts';
import { PostgresShelterRepository } from './shelters.ts';
import { PostgresAccountRepository } from './accounts.ts';
import { PostgresReportRepository } from './reports.ts';
import { PostgresRegionRepository } from './regions.ts';
import { PostgresAlertStore } from './alerts.ts';
import { PostgresTrustedAuthorityStore } from './alerts-trust.ts';
import { PostgresPushStore } from './alerts-push.ts';
import { PostgresDeliveryStore } from './alerts-delivery.ts';
import { PostgresChangeFeed } from './change-feed.ts';
import { PostgresUnitRepository, PostgresCallUpRepository } from './units.ts';
import { PostgresRegimeRepository } from './regimes.ts';
import { PostgresStockRepository } from './stock.ts';
import { PostgresPlanRepository, PostgresPopulationRepository } from './planning.ts';
import { PostgresPlanJobRepository } from './plan-jobs.ts';
import { PostgresAuditStore } from './audit.ts';
import { PostgresAlertTemplateStore } from './alert-templates.ts';
import { PostgresApprovalsPushStore } from './approvals-push.ts';
import { installAuditTriggers } from './audit-triggers.ts';

const MIGRATIONS = join(dirname(fileURLToPath(import.meta.url)), 'migrations');

export interface PostgresStore extends Store {
  readonly kind: 'postgres';
  /** The pool, for what only PostgreSQL has (tests of the schema, db copy); never passed to the domain. */
  pool: pg.Pool;
  schema: string;
  shelters: PostgresShelterRepository;
}

/** Connects, applies migrations in a schema of its own (`schema`, default public), and returns the repositories. */
export async function openPostgresStore(connectionString: string, schema = 'public'): Promise<PostgresStore> {
  if (!/^[a-z_][a-z0-9_]*$/.test(schema)) throw new Error(`invalid schema name ${schema}`);
  // PostGIS lives in public (one per database); each installation's tables in its own schema, found first.
  const pool = new pg.Pool({ connectionString, max: 8, options: `-c search_path=${schema},public`, connectionTimeoutMillis: 5000 });
  // An idle connection the server dropped (a restart, a failover) must not crash the process: the pool discards it
  // and the next query opens a new one, so the store reconnects by itself. Queries made while the database is away
  // fail with an error the caller reports (issuing an alert then fails loudly, never silently).
  pool.on('error', (err) => console.error(JSON.stringify({ level: 'warn', msg: 'postgres: an idle connection failed; it will be replaced', err: err.message })));
  const c = await pool.connect();
  try {
    await c.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
    await c.query('CREATE TABLE IF NOT EXISTS schema_migrations (version TEXT PRIMARY KEY, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())');
    await c.query('SELECT pg_advisory_lock(7243001)'); // one process migrates at a time
    try {
      // Needs a superuser (or a DBA who ran it once): PostGIS is per database, not per schema.
      await c.query('CREATE EXTENSION IF NOT EXISTS postgis SCHEMA public');
      const done = new Set((await c.query('SELECT version FROM schema_migrations')).rows.map((r) => r.version));
      for (const file of readdirSync(MIGRATIONS).filter((f) => /^\d{3}_.+\.sql$/.test(f)).sort()) {
        const version = file.replace(/\.sql$/, '');
        if (done.has(version)) continue;
        await c.query('BEGIN');
        await c.query(readFileSync(join(MIGRATIONS, file), 'utf8'));
        await c.query('INSERT INTO schema_migrations (version) VALUES ($1)', [version]);
        await c.query('COMMIT');
      }
      // The audit triggers follow the audited tables' list and columns (src/store/postgres/audit-triggers.ts).
      await c.query('BEGIN');
      try {
        await installAuditTriggers(c, schema);
        await c.query('COMMIT');
      } catch (e) {
        await c.query('ROLLBACK');
        throw e;
      }
    } finally {
      await c.query('SELECT pg_advisory_unlock(7243001)');
    }
  } catch (e) {
    c.release();
    await pool.end();
    throw e;
  }
  c.release();
  const alerts = new PostgresAlertStore(pool);
  let closed = false;
  return {
    kind: 'postgres', location: redactUrl(connectionString), pool, schema,
    shelters: new PostgresShelterRepository(pool),
    accounts: new PostgresAccountRepository(pool),
    reports: new PostgresReportRepository(pool),
    regions: new PostgresRegionRepository(pool),
    alerts, outbox: alerts,
    trust: new PostgresTrustedAuthorityStore(pool),
    push: new PostgresPushStore(pool),
    reach: new PostgresDeliveryStore(pool),
    changes: new PostgresChangeFeed(pool),
    units: new PostgresUnitRepository(pool),
    callUps: new PostgresCallUpRepository(pool),
    regimes: new PostgresRegimeRepository(pool),
    stock: new PostgresStockRepository(pool),
    plans: new PostgresPlanRepository(pool),
    population: new PostgresPopulationRepository(pool),
    planJobs: new PostgresPlanJobRepository(pool),
    audit: new PostgresAuditStore(pool),
    alertTemplates: new PostgresAlertTemplateStore(pool),
    approvalsPush: new PostgresApprovalsPushStore(pool),
    close: async () => {
      if (closed) return;
      closed = true;
      await pool.end();
    },
  };
}
