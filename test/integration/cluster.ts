// Several real `refuge serve` processes on one PostgreSQL schema, one data directory and one NATS subject, for the
// multi-process tests: spawning and killing them, the CLI that prepares the installation, a TCP proxy in front of
// PostgreSQL that a test can cut (the database "going away" for one process only), and issuing alerts over HTTP.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { ROOT, tempDir } from '../helpers.ts';
import { PG_URL } from '../store/contract/databases.ts';
import { TcpProxy } from '../tcp-proxy.ts';
import { NatsBus } from '../../src/adapters/alert-bus/nats-bus.ts';

export const BIN = join(ROOT, 'bin', 'refuge.js');
export const NATS_URL = process.env.REFUGE_TEST_NATS ?? 'nats://127.0.0.1:4222';
export const REGION = 'MP-1';

type T = { after: (fn: () => Promise<void> | void) => void };

export interface Served {
  name: string;
  child: ChildProcess;
  url: string;
  exited: Promise<NodeJS.Signals | number | null>;
  output(): string;
}

export interface Cluster {
  schema: string;
  dataDir: string;
  env: NodeJS.ProcessEnv;
  tokens: { operator: string; approver: string };
  shelters: { near: string; far: string };
  admin: pg.Client;
  serve(name: string, opts?: { databaseUrl?: string; env?: Record<string, string> }): Promise<Served>;
  cli(args: string[], input?: string): { status: number | null; stdout: string; stderr: string };
}

/** A fresh schema with one region, two shelters and an operator and an approver, dropped after the test. */
export async function cluster(t: T, extraEnv: Record<string, string> = {}): Promise<Cluster> {
  const schema = `refuge_mp_${process.pid}_${randomBytes(3).toString('hex')}`;
  const admin = new pg.Client({ connectionString: PG_URL });
  await admin.connect();
  await admin.query(`CREATE SCHEMA ${schema}`);
  const children: Served[] = [];
  // Registered first so it runs last (after hooks run in reverse): processes are gone before the schema is dropped.
  t.after(async () => {
    for (const c of children) if (c.child.exitCode === null && c.child.signalCode === null) c.child.kill('SIGKILL');
    await Promise.all(children.map((c) => c.exited));
    await admin.query(`DROP SCHEMA ${schema} CASCADE`);
    // The JetStream stream of this test's subject would otherwise stay on the shared NATS server for 48 h.
    await NatsBus.deleteStream(NATS_URL, `refuge.test.${schema}`).catch(() => false);
    await admin.end();
  });
  const files = tempDir(t);
  const dataDir = join(files, 'data');
  const env: NodeJS.ProcessEnv = {
    ...process.env, REFUGE_PG_SCHEMA: schema, DATABASE_URL: '', REFUGE_DATA_DIR: '', LOG_LEVEL: 'warn',
    // Other tests share the NATS server: a subject of our own, or their events (same seqs) would reach our hubs.
    REFUGE_ALERT_BUS_TOPIC: `refuge.test.${schema}`, REFUGE_ALERT_BUS: '', ...extraEnv,
  };
  const cli = (args: string[], input?: string) => {
    const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', input, cwd: files, env, timeout: 120_000 });
    return { status: r.status, stdout: r.stdout, stderr: r.stderr };
  };
  const must = (args: string[], input?: string) => {
    const r = cli(args, input);
    if (r.status !== 0) throw new Error(`refuge ${args.join(' ')} failed: ${r.stderr}${r.stdout}`);
    return r.stdout;
  };
  const url = ['--database-url', PG_URL];
  const regions = join(files, 'regions.geojson');
  writeFileSync(regions, JSON.stringify({ type: 'FeatureCollection', features: [{
    type: 'Feature', properties: { name: 'Indre By', code: REGION, warning_time_s: 90 },
    geometry: { type: 'Polygon', coordinates: [[[12.55, 55.66], [12.60, 55.66], [12.60, 55.69], [12.55, 55.69], [12.55, 55.66]]] },
  }] }));
  must(['import', 'regions', regions, ...url]);
  const csv = join(files, 'shelters.csv');
  writeFileSync(csv, 'id,name,capacity,lat,lon\nnear,Rådhuspladsen Shelter,300,55.6759,12.5690\nfar,Nyhavn Bunker,120,55.6797,12.5900\n');
  must(['import', 'shelters', csv, ...url, '--source', 'mp']);
  must(['admin', 'create-user', ...url, '--name', 'olena', '--role', 'operator', '--password-stdin'], 'olena-password-long\n');
  must(['admin', 'create-user', ...url, '--name', 'mykola', '--role', 'approver', '--password-stdin'], 'mykola-password-long\n');
  const tokens = {
    operator: must(['admin', 'create-token', ...url, '--user', 'olena']).trim(),
    approver: must(['admin', 'create-token', ...url, '--user', 'mykola']).trim(),
  };
  const store = new pg.Client({ connectionString: PG_URL, options: `-c search_path=${schema},public` });
  await store.connect();
  const ids = (await store.query('SELECT id, name FROM shelters ORDER BY name')).rows as Array<{ id: string; name: string }>;
  await store.end();
  const idOf = (name: string) => ids.find((r) => r.name === name)!.id;

  const serve = (name: string, opts: { databaseUrl?: string; env?: Record<string, string> } = {}): Promise<Served> => {
    const child = spawn(process.execPath, [BIN, 'serve', '--database-url', opts.databaseUrl ?? PG_URL, '--bus', NATS_URL, '--port', '0',
      '--data-dir', dataDir, '--rate-limit-allow', '127.0.0.1,::1,::ffff:127.0.0.1'], { cwd: files, env: { ...env, ...opts.env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    const exited = new Promise<NodeJS.Signals | number | null>((resolve) => child.on('exit', (code, signal) => resolve(signal ?? code)));
    const served: Served = { name, child, url: '', exited, output: () => out };
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
      child.on('exit', (code, signal) => reject(new Error(`${name}: refuge serve exited (${signal ?? code}) before listening:\n${out}`)));
    });
  };
  return { schema, dataDir, env, tokens, shelters: { near: idOf('Rådhuspladsen Shelter'), far: idOf('Nyhavn Bunker') }, admin, serve, cli };
}

export function expiresIn(minutes: number): string {
  return new Date(Date.now() + minutes * 60_000).toISOString();
}

export async function call(url: string, method: string, path: string, token?: string, body?: unknown): Promise<{ status: number; body: any; text: string }> {
  const res = await fetch(url + path, {
    method,
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
    body: body !== undefined ? JSON.stringify(body) : undefined,
  });
  const text = await res.text();
  let parsed: any = null;
  try {
    parsed = JSON.parse(text);
  } catch {
    /* not JSON */
  }
  return { status: res.status, body: parsed, text };
}

/** Drafts through `drafter` and approves through `approver` (a process each); returns the approval's answer. */
export async function issue(c: Cluster, drafter: Served, approver: Served = drafter, headline = 'Missile attack: take cover now'): Promise<{ id: string; seq: number }> {
  const draft = await call(drafter.url, 'POST', '/api/alerts', c.tokens.operator, {
    status: 'Actual', msgType: 'Alert', event: 'missile', urgency: 'Immediate', severity: 'Extreme', certainty: 'Observed',
    headline, description: 'Missiles launched.', instruction: 'Go to the nearest shelter now.', regions: [REGION], expires: expiresIn(30),
  });
  if (draft.status !== 201) throw new Error(`draft through ${drafter.name} failed: ${draft.status} ${draft.text}`);
  const ok = await call(approver.url, 'POST', `/api/alerts/${draft.body.id}/approve`, c.tokens.approver, {});
  if (ok.status !== 200) throw new Error(`approve through ${approver.name} failed: ${ok.status} ${ok.text}`);
  return ok.body;
}

export async function until<T>(what: string, probe: () => Promise<T | null | undefined | false> | T | null | undefined | false, ms = 10_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out after ${ms} ms waiting for: ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/**
 * A TCP proxy to PostgreSQL that a test can cut: `down()` closes every connection and refuses new ones (the
 * database gone for the processes behind it), `up()` accepts again on the same port. `upstreamPorts()` are the local
 * ports of its connections to PostgreSQL, which pg_stat_activity shows as client_port.
 */
export class PgProxy extends TcpProxy {
  static async start(target = new URL(PG_URL)): Promise<PgProxy> {
    const p = new PgProxy(Number(target.port || 5432), target.hostname);
    await p.up();
    return p;
  }

  get url(): string {
    const u = new URL(PG_URL);
    u.hostname = '127.0.0.1';
    u.port = String(this.port);
    return u.toString();
  }
}
