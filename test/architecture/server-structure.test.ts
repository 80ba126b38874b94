// The HTTP edge's structure (issue 10): routes are Fastify plugins that receive their services as options, so no
// file under src/server imports in a circle (twelve files once formed one: capabilities -> routes -> capabilities),
// and nothing extends the server's context by declaration merging (`declare module '../context.ts'`), which let any
// file add to a shared mutable object that every other file then had to import.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const SERVER = join(ROOT, 'src', 'server');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(p);
    return e.name.endsWith('.ts') && !e.name.endsWith('.test.ts') ? [p] : [];
  });
}

/** Every module a file names: static, type-only, re-exports, side-effect and dynamic imports (comments removed). */
export function importsOf(text: string): string[] {
  const code = text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"`])\/\/.*$/gm, '$1');
  const out: string[] = [];
  for (const m of code.matchAll(/(?:^|\n)\s*(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]/g)) out.push(m[1]);
  for (const m of code.matchAll(/(?:^|\n)\s*import\s*['"]([^'"]+)['"]/g)) out.push(m[1]);
  for (const m of code.matchAll(/\bimport\(\s*['"]([^'"]+)['"]\s*\)/g)) out.push(m[1]);
  return out;
}

/** The import graph of src/server: file -> the src/server files it imports. */
function serverGraph(): Map<string, string[]> {
  const files = sourceFiles(SERVER);
  const known = new Set(files);
  return new Map(files.map((f) => [f, importsOf(readFileSync(f, 'utf8'))
    .filter((s) => s.startsWith('.'))
    .map((s) => resolve(dirname(f), s))
    .filter((p) => known.has(p))]));
}

/** The cycles found by a depth-first search (each reported once, from where the search entered it). */
export function cyclesOf(graph: Map<string, string[]>): string[][] {
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const cycles: string[][] = [];
  const visit = (n: string) => {
    state.set(n, 'open');
    stack.push(n);
    for (const m of graph.get(n) ?? []) {
      if (state.get(m) === 'open') cycles.push([...stack.slice(stack.indexOf(m)), m]);
      else if (!state.has(m)) visit(m);
    }
    stack.pop();
    state.set(n, 'done');
  };
  for (const n of [...graph.keys()].sort()) if (!state.has(n)) visit(n);
  return cycles;
}

test('no import cycle inside src/server', () => {
  const graph = serverGraph();
  assert.ok(graph.size > 30, `found only ${graph.size} files under src/server`);
  const cycles = cyclesOf(graph).map((c) => c.map((f) => relative(SERVER, f)).join(' -> '));
  assert.deepEqual(cycles, []);
});

test('the cycle finder finds a cycle, and no cycle in a tree', () => {
  assert.deepEqual(cyclesOf(new Map([['a', ['b']], ['b', ['c']], ['c', ['a']], ['d', ['a']]])), [['a', 'b', 'c', 'a']]);
  assert.deepEqual(cyclesOf(new Map([['a', ['b', 'c']], ['b', ['c']], ['c', []]])), []);
  assert.deepEqual(importsOf("import type { A } from './a.ts';\n// import { B } from './b.ts';\nexport * from './c.ts';\nawait import('./d.ts');"), ['./a.ts', './c.ts', './d.ts']);
});

test('nothing under src/server augments one of our own modules with `declare module` (services are plugin options)', () => {
  const offences: string[] = [];
  for (const file of sourceFiles(SERVER)) {
    // Augmenting Fastify's own types (a route's config.roles, request.user) is how Fastify is typed; augmenting a
    // module of ours (the context) is the shared mutable bag this test keeps out.
    for (const m of readFileSync(file, 'utf8').matchAll(/declare\s+module\s+['"]([^'"]+)['"]/g)) {
      if (m[1].startsWith('.')) offences.push(`${relative(ROOT, file)}: declare module '${m[1]}'`);
    }
  }
  assert.deepEqual(offences, []);
});
