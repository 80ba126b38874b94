// Test helpers: temporary databases, real servers on port 0, accounts with tokens. No mocks.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startServer, type RunningServer, type StartOptions } from '../src/server/index.ts';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
export const SHARED = join(ROOT, '..', 'shared', 'data');

export function tempDir(t: { after: (fn: () => void) => void }): string {
  const dir = mkdtempSync(join(tmpdir(), 'refuge-test-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

export interface TestServer extends RunningServer {
  /** API tokens by role name: admin, operator, approver, warden (users named after their role). */
  tokens: Record<'admin' | 'operator' | 'approver' | 'warden' | 'operator2' | 'approver2', string>;
  /** The PostgreSQL schema of this server's data, when the tests run on PostgreSQL. */
  pgSchema?: string;
  request(method: string, path: string, opts?: { token?: string; body?: unknown; headers?: Record<string, string>; raw?: string | Buffer }): Promise<{ status: number; headers: Headers; body: any; text: string }>;
}

/**
 * REFUGE_TEST_DATABASE_URL=postgres://… runs every test server on PostgreSQL (a schema of its own per server, dropped
 * afterwards) instead of an SQLite file: `.ci/run` runs the server suites both ways.
 */
export const TEST_DATABASE_URL = process.env.REFUGE_TEST_DATABASE_URL || null;
let schemas = 0;

/** Where a test server keeps its data: an SQLite file in `dir`, or a fresh PostgreSQL schema; drop() removes it. */
export function testStoreOptions(dir: string): { options: Partial<StartOptions>; drop(): Promise<void> } {
  if (!TEST_DATABASE_URL) return { options: { dbPath: join(dir, 'refuge.db') }, drop: async () => {} };
  const pgSchema = `refuge_test_${process.pid}_${schemas++}`;
  const drop = async () => {
    const { default: pg } = await import('pg');
    const c = new pg.Client({ connectionString: TEST_DATABASE_URL });
    await c.connect();
    try { await c.query(`DROP SCHEMA IF EXISTS ${pgSchema} CASCADE`); } finally { await c.end(); }
  };
  return { options: { databaseUrl: TEST_DATABASE_URL, pgSchema, dataDir: join(dir, 'data') }, drop };
}

/**
 * The CLI flags and environment that name a test server's store: its SQLite file, or its PostgreSQL database and
 * schema (REFUGE_PG_SCHEMA), so a `refuge …` child process works on the same data as the server under test.
 */
export function cliStore(s: { ctx: { options: { location: string } }; pgSchema?: string }): { args: string[]; env: NodeJS.ProcessEnv } {
  const loc = s.ctx.options.location;
  if (!/^postgres(ql)?:/.test(loc)) return { args: ['--db', loc], env: process.env };
  if (!s.pgSchema) throw new Error('a PostgreSQL test server without its schema');
  return { args: ['--database-url', loc], env: { ...process.env, REFUGE_PG_SCHEMA: s.pgSchema } };
}

export async function startTestServer(t: { after: (fn: () => Promise<void> | void) => void }, opts: Partial<StartOptions> = {}): Promise<TestServer> {
  const dir = tempDir(t);
  const where = opts.dbPath || opts.databaseUrl ? { options: {}, drop: async () => {} } : testStoreOptions(dir);
  const server = await startServer({ insecureCookies: true, ...where.options, ...opts } as StartOptions);
  t.after(async () => {
    await server.close();
    await where.drop();
  });
  const tokens: Record<string, string> = {};
  for (const [name, role] of [['admin', 'admin'], ['operator', 'operator'], ['approver', 'approver'], ['warden', 'warden'], ['operator2', 'operator'], ['approver2', 'approver']]) {
    await server.ctx.accounts.createUser(name, role, `${name}-password-long`);
    tokens[name] = await server.ctx.accounts.createApiToken(name);
  }
  const request: TestServer['request'] = async (method, path, o = {}) => {
    const headers: Record<string, string> = { ...(o.headers ?? {}) };
    if (o.token) headers.authorization = `Bearer ${o.token}`;
    let body: string | Buffer | undefined;
    if (o.raw !== undefined) body = o.raw;
    else if (o.body !== undefined) { body = JSON.stringify(o.body); headers['content-type'] ??= 'application/json'; }
    const res = await fetch(server.url + path, { method, headers, body: body as BodyInit | undefined });
    const text = await res.text();
    let parsed: unknown = text;
    if (/json/.test(res.headers.get('content-type') ?? '')) parsed = text ? JSON.parse(text) : null;
    return { status: res.status, headers: res.headers, body: parsed, text };
  };
  return Object.assign(server, { tokens: tokens as TestServer['tokens'], request, pgSchema: (where.options as { pgSchema?: string }).pgSchema });
}
