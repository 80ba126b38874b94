// The stock domain (src/stock) is plain TypeScript: no HTTP, network or database driver, no store, server or adapter
// code, no process.env. The SQLite store implements its port; the server and CLI are its edges.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../helpers.ts';

const FORBIDDEN = [/^(node:)?(http|https|http2|net|tls|dgram|dns)$/, /^web-push$/, /^better-sqlite3$/, /^pg(-.*)?$/, /^(fastify|@fastify\/.*)$/, /store\//, /server\//, /adapters\//, /^(nats|redis|mqtt)$/];

test('src/stock imports no driver, store, server or adapter, and reads no environment', () => {
  const dir = join(ROOT, 'src', 'stock');
  const files = readdirSync(dir).filter((f) => f.endsWith('.ts'));
  assert.ok(files.length >= 8, `found ${files.length} files`);
  const offences: string[] = [];
  for (const f of files) {
    const text = readFileSync(join(dir, f), 'utf8');
    for (const m of text.matchAll(/(?:^|\n)\s*(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]/g)) if (FORBIDDEN.some((re) => re.test(m[1]))) offences.push(`${f} imports ${m[1]}`);
    for (const m of text.matchAll(/\bimport\(\s*['"]([^'"]+)['"]\s*\)/g)) if (FORBIDDEN.some((re) => re.test(m[1]))) offences.push(`${f} imports ${m[1]}`);
    if (/process\.env/.test(text)) offences.push(`${f} reads process.env`);
  }
  assert.deepEqual(offences, []);
});
