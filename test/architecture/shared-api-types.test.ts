// The web app reads the API's enums and response types from src/api/types.ts (issue 10) instead of keeping copies,
// which went stale silently (the console's event list once had its own order, its own role lists). These tests fail
// when web/src spells out a shared enum again, or when src/api stops being importable by the browser build.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as api from '../../src/api/types.ts';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/**
 * Who may do what is decided per route; such role lists are subsets of ROLES and legitimately coincide with one
 * another (units' readers are the alert roles), so they are not value domains a copy of which could go stale.
 */
const PERMISSION_LISTS = new Set(['ALERT_ROLES', 'DRAFT_ROLES', 'APPROVE_ROLES']);

/** Every shared enum: the exported arrays of strings of src/api/types.ts. */
function sharedEnums(): Map<string, string> {
  const out = new Map<string, string>();
  for (const [name, value] of Object.entries(api)) {
    if (PERMISSION_LISTS.has(name) || !Array.isArray(value) || value.length < 2 || !value.every((v) => typeof v === 'string')) continue;
    out.set(key(value as string[]), name);
  }
  return out;
}

/** Order does not matter: a copy in another order is still a copy. */
const key = (values: string[]) => [...new Set(values)].sort().join('\u0000');

function files(dir: string, ext: RegExp): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    return e.isDirectory() ? files(p, ext) : ext.test(e.name) ? [p] : [];
  });
}

/** String-literal arrays (['a', 'b']) and string-literal unions ('a' | 'b'), with their line numbers. */
function literalLists(text: string): Array<{ line: number; values: string[]; source: string }> {
  const out: Array<{ line: number; values: string[]; source: string }> = [];
  const str = String.raw`'[^'\n]*'|"[^"\n]*"|\x60[^\x60$\n]*\x60`;
  const array = new RegExp(String.raw`\[\s*(?:(?:${str})\s*,\s*)+(?:${str})\s*,?\s*\]`, 'g');
  const union = new RegExp(String.raw`(?:${str})(?:\s*\|\s*(?:${str}))+`, 'g');
  for (const re of [array, union]) {
    for (const m of text.matchAll(re)) {
      const values = [...m[0].matchAll(new RegExp(str, 'g'))].map((v) => v[0].slice(1, -1));
      out.push({ line: text.slice(0, m.index).split('\n').length, values, source: m[0] });
    }
  }
  return out;
}

test('the scanner finds arrays and unions however they are quoted or ordered', () => {
  const found = literalLists(`const A = ['b', "a"];\ntype U = 'x' | 'y';\nconst none = ['solo'];`);
  assert.deepEqual(found.map((f) => [f.line, f.values]), [[1, ['b', 'a']], [2, ['x', 'y']]]);
  assert.equal(sharedEnums().get(key(['unknown', 'full', 'locked', 'closed', 'open'])), 'SHELTER_STATUSES');
});

test('web/src defines no copy of an enum that src/api/types.ts shares', () => {
  const enums = sharedEnums();
  // The list the scan checks against must be the real one, not an accidentally empty one.
  for (const name of ['ROLES', 'SHELTER_STATUSES', 'SHELTER_KINDS', 'ACCESS_TYPES', 'EVENT_TYPES', 'ALERT_STAGES', 'REPORT_KINDS', 'HISTORY_STATES', 'UNIT_TYPES', 'REGIME_LEVELS', 'CALLUP_STATES', 'ANSWERS', 'POSTABLE_TYPES']) {
    assert.ok([...enums.values()].includes(name), `${name} is shared`);
  }
  const offences: string[] = [];
  let importers = 0;
  for (const file of [...files(join(ROOT, 'web', 'src'), /\.ts$/), join(ROOT, 'web', 'sw', 'sw.js')]) {
    const text = readFileSync(file, 'utf8');
    if (/from '(\.\.\/)+src\/api\/types\.ts'/.test(text)) importers++;
    for (const list of literalLists(text)) {
      const shared = enums.get(key(list.values));
      if (shared) offences.push(`${relative(ROOT, file)}:${list.line} ${list.source} copies ${shared}: import it from src/api/types.ts`);
    }
  }
  assert.deepEqual(offences, []);
  assert.ok(importers >= 10, `web/src imports src/api/types.ts (${importers} files)`);
});

test('everything src/api/types.ts reaches is plain TypeScript the browser build can bundle', () => {
  const seen = new Set<string>();
  const offences: string[] = [];
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(/(?:^|\n)\s*(?:import|export)\s[^'";]*?from\s*'([^']+)'|\bimport\(\s*'([^']+)'\s*\)|(?:^|\n)\s*import\s*'([^']+)'/g)) {
      const spec = m[1] ?? m[2] ?? m[3];
      if (!spec.startsWith('.')) { offences.push(`${relative(ROOT, file)} imports ${spec}`); continue; }
      const target = resolve(dirname(file), spec);
      assert.ok(existsSync(target), `${relative(ROOT, file)}: ${spec} exists`);
      visit(target);
    }
    // Node globals would type-check under web/tsconfig.json (Vite's types pull in @types/node) and fail in a browser.
    for (const g of text.matchAll(/\b(Buffer|process|__dirname|require)\s*[.(]/g)) offences.push(`${relative(ROOT, file)} uses ${g[1]}`);
  };
  visit(join(ROOT, 'src', 'api', 'types.ts'));
  assert.ok(seen.size >= 5, `followed ${seen.size} files`);
  assert.deepEqual(offences, []);
});
