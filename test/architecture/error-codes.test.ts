// One table of error codes (src/server/error-codes.ts): every code a route can answer with has a row (code, status,
// title), whether the route throws it itself or a domain error carries it, and the error handler answers with that
// row's status and title.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ERROR_CODES, titleOf, type ErrorSource } from '../../src/server/error-codes.ts';
import { toProblem } from '../../src/server/problem.ts';
import { RegistryError } from '../../src/registry/index.ts';
import { AccountError } from '../../src/accounts/index.ts';
import { ReportError } from '../../src/reports/index.ts';
import { UnitError } from '../../src/units/index.ts';
import { StockError } from '../../src/stock/index.ts';
import { CapError } from '../../src/alerts/index.ts';
import { LifecycleError } from '../../src/alerts/lifecycle/index.ts';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(p);
    return e.name.endsWith('.ts') && !e.name.endsWith('.test.ts') ? [p] : [];
  });
}

/** `new <cls>(` and, after `skip` arguments, the string literals (codes) at the argument, across line breaks. */
function codesThrown(dir: string, pattern: RegExp): Map<string, string[]> {
  const found = new Map<string, string[]>();
  for (const file of sourceFiles(join(ROOT, dir))) {
    for (const m of readFileSync(file, 'utf8').matchAll(pattern)) {
      for (const code of m[1].match(/'[A-Z][A-Z_]+'/g) ?? []) {
        const c = code.slice(1, -1);
        found.set(c, [...(found.get(c) ?? []), relative(ROOT, file)]);
      }
    }
  }
  return found;
}

function missing(source: ErrorSource, codes: Iterable<string>): string[] {
  const rows = ERROR_CODES[source] as Record<string, unknown>;
  return [...codes].filter((c) => !(c in rows));
}

test('every code the edge throws itself (new HttpProblem(CODE, ...)) has a row', () => {
  const codes = codesThrown('src/server', /new HttpProblem\(\s*((?:'[A-Z_]+'|[^,'()]+\?\s*'[A-Z_]+'\s*:\s*'[A-Z_]+'))/g);
  assert.ok(codes.size > 30, `found only ${codes.size} codes: is the pattern right?`);
  assert.deepEqual(missing('http', codes.keys()), []);
  // No status literal beside a code any more: the status is the table's.
  const literals = sourceFiles(join(ROOT, 'src', 'server')).filter((f) => /new HttpProblem\(\s*\d/.test(readFileSync(f, 'utf8')));
  assert.deepEqual(literals.map((f) => relative(ROOT, f)), []);
});

test('every code a domain error is raised with has a row of its domain', () => {
  const domains: Array<[ErrorSource, string, RegExp]> = [
    ['registry', 'src/registry', /new RegistryError\(\s*([^,]+),/g],
    ['accounts', 'src/accounts', /new AccountError\(\s*([^,]+),/g],
    ['reports', 'src/reports', /new ReportError\(\s*([^,]+),/g],
    ['units', 'src/units', /new UnitError\(\s*([^,]+),/g],
    ['stock', 'src/stock', /new StockError\(\s*([^,]+),/g],
  ];
  for (const [source, dir, re] of domains) {
    const codes = codesThrown(dir, re);
    assert.ok(codes.size > 0, `${source}: no codes found in ${dir}`);
    assert.deepEqual(missing(source, codes.keys()), [], source);
  }
  // The lifecycle's own codes are its errors' fourth argument.
  const lifecycle = codesThrown('src/alerts', /new LifecycleError\([^;]*?,\s*('[A-Z_]+')\)/g);
  assert.ok(lifecycle.size >= 2);
  assert.deepEqual(missing('alerts', lifecycle.keys()), []);
});

test('each row: an error status, the title problem documents have always had for it', () => {
  for (const [source, rows] of Object.entries(ERROR_CODES)) {
    for (const [code, row] of Object.entries(rows as Record<string, { status: number; title: string }>)) {
      assert.ok(row.status >= 400 && row.status < 600, `${source}.${code}`);
      assert.equal(row.title, titleOf(row.status), `${source}.${code}`);
      assert.match(code, /^[A-Z][A-Z_]+$/, `${source}.${code}`);
    }
  }
});

test('the error handler answers a domain error with its row: every row of every domain', () => {
  const cases: Array<[ErrorSource, (code: string) => Error]> = [
    ['registry', (c) => new RegistryError(c as RegistryError['code'], 'x')],
    ['accounts', (c) => new AccountError(c as AccountError['code'], 'x')],
    ['reports', (c) => new ReportError(c as ReportError['code'], 'x')],
    ['units', (c) => new UnitError(c as UnitError['code'], 'x')],
    ['stock', (c) => new StockError(c as StockError['code'], 'x')],
    ['cap', (c) => new CapError(c.slice(4).toLowerCase().replace(/_/g, '-') as CapError['code'], 'x')],
    ['alerts', (c) => c.startsWith('ALERT_')
      ? new LifecycleError(c.slice(6).toLowerCase().replace('_', '-') as LifecycleError['kind'], 'x')
      : c === 'TWO_PERSON_RULE' ? new LifecycleError('forbidden', 'x', 'two-person-rule') : new LifecycleError('invalid', 'x', null, c)],
  ];
  for (const [source, make] of cases) {
    for (const [code, row] of Object.entries(ERROR_CODES[source] as Record<string, { status: number }>)) {
      const p = toProblem(make(code));
      assert.deepEqual([p.code, p.status], [code, row.status], `${source}.${code}`);
    }
  }
  // The accounts domain still says a status of its own (AccountError.status): the two must not drift apart.
  for (const [code, row] of Object.entries(ERROR_CODES.accounts)) assert.equal(new AccountError(code as AccountError['code'], 'x').status, row.status, `accounts.${code}`);
  // Fastify's own errors keep their status; anything unknown is a 500 that says nothing of its insides.
  assert.equal(toProblem(Object.assign(new Error('too big'), { statusCode: 413, code: 'FST_ERR_CTP_BODY_TOO_LARGE' })).status, 413);
  const internal = toProblem(new Error('secret detail'));
  assert.deepEqual([internal.status, internal.code], [500, 'INTERNAL']);
  assert.ok(!internal.message.includes('secret'));
});
