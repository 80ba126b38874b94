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
  request(method: string, path: string, opts?: { token?: string; body?: unknown; headers?: Record<string, string>; raw?: string | Buffer }): Promise<{ status: number; headers: Headers; body: any; text: string }>;
}

export async function startTestServer(t: { after: (fn: () => Promise<void> | void) => void }, opts: Partial<StartOptions> = {}): Promise<TestServer> {
  const dir = tempDir(t);
  const server = await startServer({ dbPath: join(dir, 'refuge.db'), insecureCookies: true, ...opts });
  t.after(() => server.close());
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
  return Object.assign(server, { tokens: tokens as TestServer['tokens'], request });
}
