// The units domain (src/units) imports no HTTP, network or database driver, and the server publishes its routes in
// the OpenAPI document with their roles.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../helpers.ts';
import { startUnitsServer } from './helpers.ts';

const FORBIDDEN = [/^(node:)?(http|https|http2|net|tls|dgram|dns)$/, /^web-push$/, /^better-sqlite3$/, /^pg(-.*)?$/, /^(fastify|@fastify\/.*)$/, /store\//, /server\//, /adapters\//];

test('src/units imports no driver, store, server or adapter', () => {
  const dir = join(ROOT, 'src', 'units');
  const files = readdirSync(dir).filter((f) => f.endsWith('.ts'));
  assert.ok(files.length >= 8);
  const offences: string[] = [];
  for (const f of files) {
    const text = readFileSync(join(dir, f), 'utf8');
    for (const m of text.matchAll(/(?:^|\n)\s*(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]/g)) if (FORBIDDEN.some((re) => re.test(m[1]))) offences.push(`${f} imports ${m[1]}`);
    if (/process\.env/.test(text)) offences.push(`${f} reads process.env`);
  }
  assert.deepEqual(offences, []);
});

test('the OpenAPI document lists the units routes with their roles', async (t) => {
  const server = await startUnitsServer(t);
  const doc = await server.request('GET', '/openapi.json');
  assert.equal(doc.status, 200);
  const paths = doc.body.paths as Record<string, Record<string, { 'x-roles'?: string[] }>>;
  assert.deepEqual(paths['/api/units'].post['x-roles'], ['admin', 'operator']);
  assert.deepEqual(paths['/api/callups'].post['x-roles'], ['admin', 'operator']);
  assert.deepEqual(paths['/api/regimes/{regionCode}'].put['x-roles'], ['admin', 'operator']);
  assert.ok(paths['/api/callups/{id}/answers'].post['x-roles']!.includes('public'), 'answers by personal link');
  const mutating = server.app.refugeRoutes.filter((r) => ['POST', 'PUT', 'PATCH', 'DELETE'].includes(r.method) && /^\/api\/(units|callups|regimes)|^\/answer\//.test(r.url));
  assert.ok(mutating.length >= 12);
  assert.ok(mutating.every((r) => r.roles && r.roles.length > 0));
});
