// Crash tests kill a real `refuge serve` process from outside (SIGKILL from the test process; no hook inside the server
// is used) and start it again on the same database. This module gives them: a fresh database (an SQLite file, or a
// PostgreSQL schema of its own when REFUGE_TEST_DATABASE_URL is set), the server process, raw SQL reads for the
// checks, and a load that keeps operations in flight so the kill lands in the middle of them.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { ROOT, tempDir, TEST_DATABASE_URL } from '../helpers.ts';
import { openStore } from '../../src/store/open-store.ts';
import type { Store } from '../../src/store/store.ts';
import { Accounts } from '../../src/accounts/index.ts';
import { testRegions } from '../alerts-lifecycle/helpers.ts';

const BIN = join(ROOT, 'bin', 'refuge.js');
const LOOPBACK = '127.0.0.1,::1,::ffff:127.0.0.1';

type T = { after: (fn: () => Promise<void> | void) => void; diagnostic: (msg: string) => void };

export interface Served {
  child: ChildProcess;
  url: string;
  exited: Promise<NodeJS.Signals | number | null>;
  output(): string;
}

export interface CrashDb {
  kind: 'sqlite' | 'postgres';
  /** SQLite file path (sqlite only). */
  path: string | null;
  /** PostgreSQL schema (postgres only). */
  schema: string | null;
  /** The store in this process, for preparing data the way the CLI would. */
  open(): Promise<Store>;
  /**
   * A read on a connection of its own; `?` placeholders on both stores. pg returns BIGINT, COUNT and SUM as strings:
   * write `CAST(... AS INTEGER)` to get numbers from both.
   */
  rows<R = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<R[]>;
  serve(env?: Record<string, string>): Promise<Served>;
}

let schemas = 0;

/** A fresh database (dropped afterwards) and a way to serve it; every process is SIGKILLed at the end of the test. */
export async function crashDb(t: T): Promise<CrashDb> {
  const dir = tempDir(t);
  const kind = TEST_DATABASE_URL ? 'postgres' : 'sqlite';
  const path = kind === 'sqlite' ? join(dir, 'refuge.db') : null;
  const schema = kind === 'postgres' ? `refuge_crash_${process.pid}_${schemas++}_${randomBytes(2).toString('hex')}` : null;
  const children: Served[] = [];
  let admin: pg.Client | null = null;
  if (schema) {
    admin = new pg.Client({ connectionString: TEST_DATABASE_URL!, options: `-c search_path=${schema},public` });
    await admin.connect();
    await admin.query(`CREATE SCHEMA ${schema}`);
  }
  // Registered first so it runs last: the processes are gone before the schema is dropped.
  t.after(async () => {
    for (const c of children) if (c.child.exitCode === null && c.child.signalCode === null) c.child.kill('SIGKILL');
    await Promise.all(children.map((c) => c.exited));
    if (admin) {
      await admin.query(`DROP SCHEMA ${schema} CASCADE`);
      await admin.end();
    }
  });
  const storeArgs = path ? ['--db', path] : ['--database-url', TEST_DATABASE_URL!, '--data-dir', join(dir, 'data')];
  const env: NodeJS.ProcessEnv = {
    ...process.env, LOG_LEVEL: 'warn', DATABASE_URL: '', REFUGE_DATA_DIR: '', REFUGE_ALERT_BUS: '', REFUGE_MQTT_URL: '',
    ...(schema ? { REFUGE_PG_SCHEMA: schema } : {}),
  };
  return {
    kind, path, schema,
    open: () => openStore(path ?? TEST_DATABASE_URL!, { schema: schema ?? undefined }),
    async rows<R>(sql: string, params: unknown[] = []): Promise<R[]> {
      if (path) {
        // Not read-only: after a SIGKILL the first connection recovers the WAL index, as the restarted server would.
        const db = new Database(path, { fileMustExist: true });
        try {
          return db.prepare(sql).all(...params) as R[];
        } finally {
          db.close();
        }
      }
      let n = 0;
      return (await admin!.query({ text: sql.replace(/\?/g, () => `$${++n}`), values: params })).rows as R[];
    },
    serve(extra = {}) {
      const child = spawn(process.execPath, [BIN, 'serve', ...storeArgs, '--port', '0', '--rate-limit-allow', LOOPBACK], {
        cwd: dir, env: { ...env, ...extra }, stdio: ['ignore', 'pipe', 'pipe'],
      });
      let out = '';
      const exited = new Promise<NodeJS.Signals | number | null>((resolve) => child.on('exit', (code, signal) => resolve(signal ?? code)));
      const served: Served = { child, url: '', exited, output: () => out };
      children.push(served);
      return new Promise((resolve, reject) => {
        child.stderr!.on('data', (d) => (out += d));
        child.stdout!.on('data', (d) => {
          out += d;
          const m = /serving .* on (http:\/\/\S+)/.exec(out);
          if (m && !served.url) {
            served.url = m[1];
            resolve(served);
          }
        });
        child.on('exit', (code, signal) => reject(new Error(`refuge serve exited (${signal ?? code}) before listening:\n${out}`)));
      });
    },
  };
}

/** SIGKILL, and wait until the process is gone (no shutdown code runs: the kernel ends it). */
export async function kill(s: Served): Promise<void> {
  s.child.kill('SIGKILL');
  const how = await s.exited;
  if (how !== 'SIGKILL') throw new Error(`expected the server to die by SIGKILL, it ended with ${how}:\n${s.output()}`);
}

/** Stops a server cleanly (SIGTERM). */
export async function stop(s: Served): Promise<void> {
  s.child.kill('SIGTERM');
  await s.exited;
}

export interface Staff {
  operator: string;
  approver: string;
}

/** An operator (olena) and an approver (mykola) with API tokens, and the test regions: as `refuge admin` and `refuge import regions` would. */
export async function prepareStaff(db: CrashDb): Promise<Staff> {
  const store = await db.open();
  try {
    const accounts = new Accounts(store.accounts);
    await accounts.createUser('olena', 'operator', 'olena-password-long');
    await accounts.createUser('mykola', 'approver', 'mykola-password-long');
    await store.regions.replaceSource('test', [...testRegions().list()]);
    return { operator: await accounts.createApiToken('olena'), approver: await accounts.createApiToken('mykola') };
  } finally {
    await store.close();
  }
}

export interface Answer {
  status: number;
  body: any;
}

export async function call(url: string, method: string, path: string, token?: string, body?: unknown): Promise<Answer> {
  const res = await fetch(url + path, {
    method,
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text && /json/.test(res.headers.get('content-type') ?? '') ? JSON.parse(text) : text };
}

export async function must(url: string, method: string, path: string, token: string, body?: unknown): Promise<any> {
  const r = await call(url, method, path, token, body);
  if (r.status >= 300) throw new Error(`${method} ${path}: ${r.status} ${JSON.stringify(r.body)}`);
  return r.body;
}

/** What became of one operation: its full answer, or null when the process died before answering it. */
export type Outcome<K> = { key: K; answer: Answer | null };

/**
 * Runs `op` for each key with `inFlight` requests always outstanding and SIGKILLs the server as soon as `killAfter`
 * operations have been acknowledged (a whole 2xx answer read), so the kill lands with requests in the middle of
 * being handled. An operation counts as answered only when its whole body arrived before the kill.
 */
export async function loadThenKill<K>(s: Served, keys: K[], op: (key: K) => Promise<Answer>, opts: { inFlight: number; killAfter: number }): Promise<{ outcomes: Array<Outcome<K>>; unanswered: number }> {
  const outcomes: Array<Outcome<K>> = [];
  let acks = 0;
  let killed = false;
  let next = 0;
  let unanswered = 0;
  await new Promise<void>((resolve) => {
    let running = 0;
    const launch = () => {
      while (!killed && running < opts.inFlight && next < keys.length) {
        const key = keys[next++];
        running++;
        op(key).then((answer) => {
          // An answer whose last byte arrived after the kill was still written by the live process: it counts.
          outcomes.push({ key, answer });
          if (answer.status < 300 && ++acks >= opts.killAfter && !killed) {
            killed = true;
            s.child.kill('SIGKILL');
          }
        }, () => {
          outcomes.push({ key, answer: null });
          unanswered++;
        }).finally(() => {
          running--;
          if (running === 0 && (killed || next >= keys.length)) resolve();
          else launch();
        });
      }
    };
    launch();
  });
  if (!killed) s.child.kill('SIGKILL');
  await s.exited;
  return { outcomes, unanswered };
}

/** The keys whose operation was acknowledged with a 2xx, with the answer body. */
export function acknowledged<K>(outcomes: Array<Outcome<K>>): Array<{ key: K; body: any }> {
  return outcomes.filter((o) => o.answer && o.answer.status < 300).map((o) => ({ key: o.key, body: o.answer!.body }));
}
