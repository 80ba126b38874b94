// PostgreSQL store: schema migrations and the repositories implemented so far (shelters).
import pg from 'pg';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PostgresShelterRepository } from './shelters.ts';

const MIGRATIONS = join(dirname(fileURLToPath(import.meta.url)), 'migrations');

export interface PostgresStore {
  pool: pg.Pool;
  shelters: PostgresShelterRepository;
  close(): Promise<void>;
}

/** Connects, applies migrations in a schema of its own (`schema`, default public), and returns the repositories. */
export async function openPostgresStore(connectionString: string, schema = 'public'): Promise<PostgresStore> {
  if (!/^[a-z_][a-z0-9_]*$/.test(schema)) throw new Error(`invalid schema name ${schema}`);
  const pool = new pg.Pool({ connectionString, max: 8, options: `-c search_path=${schema}` });
  const c = await pool.connect();
  try {
    await c.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
    await c.query('CREATE TABLE IF NOT EXISTS schema_migrations (version TEXT PRIMARY KEY, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())');
    await c.query('SELECT pg_advisory_lock(7243001)'); // one process migrates at a time
    try {
      const done = new Set((await c.query('SELECT version FROM schema_migrations')).rows.map((r) => r.version));
      for (const file of readdirSync(MIGRATIONS).filter((f) => /^\d{3}_.+\.sql$/.test(f)).sort()) {
        const version = file.replace(/\.sql$/, '');
        if (done.has(version)) continue;
        await c.query('BEGIN');
        await c.query(readFileSync(join(MIGRATIONS, file), 'utf8'));
        await c.query('INSERT INTO schema_migrations (version) VALUES ($1)', [version]);
        await c.query('COMMIT');
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
  return { pool, shelters: new PostgresShelterRepository(pool), close: () => pool.end() };
}
