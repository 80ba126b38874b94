// Domain code (src/registry, src/alerts, src/network, src/reports, src/geo) never imports HTTP, network or database
// drivers: those live in src/store, src/server and src/adapters. Web Push's web-push / node:https imports inside
// src/alerts/delivery/push broke this rule once; this test keeps it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

const DOMAINS = ['registry', 'alerts', 'network', 'reports', 'geo', 'accounts', 'stock', 'units', 'planning'];
const FORBIDDEN = [
  /^(node:)?(http|https|http2|net|tls|dgram|dns)$/,
  /^web-push$/, /^better-sqlite3$/, /^pg(-.*)?$/, /^nats$/, /^redis$/, /^ioredis$/, /^mqtt$/, /^undici$/, /^(fastify|@fastify\/.*)$/,
];

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(p);
    return e.name.endsWith('.ts') && !e.name.endsWith('.test.ts') ? [p] : [];
  });
}

function importsOf(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(/(?:^|\n)\s*(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]/g)) out.push(m[1]);
  for (const m of text.matchAll(/(?:^|\n)\s*import\s*['"]([^'"]+)['"]/g)) out.push(m[1]);
  for (const m of text.matchAll(/\bimport\(\s*['"]([^'"]+)['"]\s*\)/g)) out.push(m[1]);
  return out;
}

test('domain folders import no HTTP, network or database driver', () => {
  const offences: string[] = [];
  let files = 0;
  for (const domain of DOMAINS) {
    for (const file of sourceFiles(join(ROOT, 'src', domain))) {
      files++;
      for (const spec of importsOf(readFileSync(file, 'utf8'))) {
        if (FORBIDDEN.some((re) => re.test(spec))) offences.push(`${relative(ROOT, file)} imports ${spec}`);
      }
    }
  }
  assert.ok(files > 50, `found only ${files} domain files: is ROOT right?`);
  assert.deepEqual(offences, []);
});

test('the import scanner sees static, re-export, type-only and dynamic imports', () => {
  const sample = "import webpush from 'web-push';\nimport type { Agent } from 'node:https';\nexport { x } from \"pg\";\nconst m = await import('mqtt');\nimport 'nats';\n";
  assert.deepEqual(importsOf(sample).sort(), ['mqtt', 'nats', 'node:https', 'pg', 'web-push']);
});

test('only src/app/config.ts reads the environment; everything else receives Settings', () => {
  const readers = sourceFiles(join(ROOT, 'src'))
    .filter((file) => /process\.env\b/.test(readFileSync(file, 'utf8').replace(/\/\/.*$|\/\*[\s\S]*?\*\//gm, '')))
    .map((file) => relative(ROOT, file));
  assert.deepEqual(readers, [join('src', 'app', 'config.ts')]);
});

/** Relative imports of a file, resolved to paths under ROOT. */
function resolvedImports(file: string): string[] {
  return importsOf(readFileSync(file, 'utf8')).filter((s) => s.startsWith('.')).map((s) => relative(ROOT, resolve(dirname(file), s)));
}

test('the CLI reaches the server only through src/app: no file under src/cli imports src/server', () => {
  const offences = sourceFiles(join(ROOT, 'src', 'cli')).flatMap((file) =>
    resolvedImports(file).filter((p) => p.startsWith(join('src', 'server'))).map((p) => `${relative(ROOT, file)} imports ${p}`));
  assert.deepEqual(offences, []);
});

test('only src/store opens a store: no edge or capability constructs a driver-backed repository', () => {
  const offences: string[] = [];
  for (const dir of ['server', 'cli', 'app', ...DOMAINS]) {
    for (const file of sourceFiles(join(ROOT, 'src', dir))) {
      for (const p of resolvedImports(file)) {
        // src/app/ may open a store through src/store/open-store.ts (and read its types); nothing may reach a driver's store.
        if (p.startsWith(join('src', 'store', 'sqlite')) || p.startsWith(join('src', 'store', 'postgres'))) offences.push(`${relative(ROOT, file)} imports ${p}`);
      }
    }
  }
  assert.deepEqual(offences, []);
});
