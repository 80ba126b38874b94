// Property-based fuzzing of every JSON body, query string and path parameter the server accepts (issue 15, "Hostile
// input"). Cases come from fast-check with a fixed seed: each starts from a body built from the route's own schema
// (route-walk.ts) and breaks it (a field replaced by any JSON value or a hostile string, a required field dropped, an
// unknown field added, the whole body replaced), or sends bytes that are not JSON at all. Each request is sent as a
// role the route allows, so the handler runs, not only the guard. The only acceptable answers are 2xx/3xx, or a 4xx
// problem document with a code; a 5xx, a 4xx without a code, a dropped connection or a hang (10 s) is a failure.
// test/security/fuzz-http.test.ts runs a few cases per route; bench/fuzz-http.ts runs over 10,000 of each kind.
import fc from 'fast-check';
import type { TestServer } from '../helpers.ts';
import { MUTATING, concrete, sample, type Route } from './route-walk.ts';

const ROLE_ORDER = ['admin', 'operator', 'approver', 'warden'] as const;

/** Strings that have broken servers before: encodings, separators, prototype keys, numbers at the edges. */
const HOSTILE = [
  '', ' ', '0', '-1', '1e309', 'NaN', 'Infinity', '9007199254740993', 'null', 'true', '[]', '{}', '__proto__', 'constructor',
  'prototype', '\u0000', '\uFFFD', '\uD800', '\u202E', '😀', 'Повітряна', 'שם', '<script>alert(1)</script>', "' OR 1=1 --",
  '../../etc/passwd', '%00', '%', '%zz', 'x'.repeat(5000), '2026-02-30T25:61:00Z', '9999-12-31T23:59:59Z', '-90.5', '181',
  'UA-30', 'IL-SDEROT', 'Actual', 'Exercise', 'Extreme', 'available', 'on-leave', 'emergency',
];

const hostileString = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...HOSTILE) },
  { weight: 2, arbitrary: fc.string({ maxLength: 20 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 20 }) },
);

const anyJson = fc.oneof(
  { weight: 3, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
  { weight: 2, arbitrary: hostileString },
  { weight: 1, arbitrary: fc.constantFrom(-1, 0, 1.5, 1e308, -1e308, Number.MAX_SAFE_INTEGER + 2) },
  // Deep nesting: parsers and validators that recurse must not fall over.
  { weight: 1, arbitrary: fc.integer({ min: 50, max: 2000 }).map((n) => JSON.parse('['.repeat(n) + ']'.repeat(n)) as unknown) },
);

export type BodyCase =
  | { kind: 'json'; value: unknown }
  | { kind: 'raw'; bytes: string; contentType: string };

/** A broken version of a valid body: the ways a client (or an attacker) gets a body wrong. */
function bodyCases(valid: unknown): fc.Arbitrary<BodyCase> {
  const json = (a: fc.Arbitrary<unknown>) => a.map((value): BodyCase => ({ kind: 'json', value }));
  const obj = valid && typeof valid === 'object' && !Array.isArray(valid) ? (valid as Record<string, unknown>) : null;
  const keys = obj ? Object.keys(obj) : [];
  const mutations: Array<fc.WeightedArbitrary<BodyCase>> = [
    { weight: 2, arbitrary: json(anyJson) },
    { weight: 1, arbitrary: fc.record({ key: hostileString, value: anyJson }).map(({ key, value }): BodyCase => ({ kind: 'json', value: { ...(obj ?? {}), [key]: value } })) },
    {
      weight: 1,
      arbitrary: fc.record({ bytes: fc.oneof(fc.string({ maxLength: 40 }), fc.constantFrom('{', '{"a":', '\u0000', '{"__proto__":{"x":1}}', '[1,2', 'true false')), contentType: fc.constantFrom('application/json', 'text/csv', 'application/xml', 'application/x-www-form-urlencoded', 'text/plain') })
        .map(({ bytes, contentType }): BodyCase => ({ kind: 'raw', bytes, contentType })),
    },
  ];
  if (keys.length) {
    const key = fc.constantFrom(...keys);
    mutations.push(
      { weight: 4, arbitrary: fc.record({ key, value: anyJson }).map(({ key, value }): BodyCase => ({ kind: 'json', value: { ...obj, [key]: value } })) },
      { weight: 1, arbitrary: key.map((k): BodyCase => { const o = { ...obj }; delete o[k]; return { kind: 'json', value: o }; }) },
    );
  }
  return fc.oneof(...mutations);
}

/** Query strings from the route's declared parameters (and some it does not declare), with hostile values. */
function queryCases(names: string[]): fc.Arbitrary<string> {
  const name = names.length ? fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...names) }, { weight: 1, arbitrary: hostileString }) : hostileString;
  return fc.array(fc.tuple(name, hostileString), { maxLength: 6 }).map((pairs) => {
    const q = new URLSearchParams();
    for (const [k, v] of pairs) q.append(k.slice(0, 100), v.slice(0, 500)); // within Node's 16 KB request head
    // Some clients send broken escapes; URLSearchParams would encode them, so a raw one is appended by hand.
    return pairs.length % 3 === 2 ? `${q.toString()}&bad=%E0%A4%A` : q.toString();
  });
}

/** A path parameter value: hostile, percent-encoded so the request line stays valid. */
const pathValue = hostileString.map((s) => [...new TextEncoder().encode(s.slice(0, 300))].map((b) => `%${b.toString(16).padStart(2, '0')}`).join('') || 'x');

export interface FuzzCase { route: Route; path: string; role: string | null; body?: BodyCase }

/** Routes the fuzzer skips, and why: they are not request/answer routes. */
export function fuzzable(r: Route): boolean {
  if (r.method === 'HEAD') return false;
  if (r.url.startsWith('/docs') || r.url === '/metrics') return false; // Swagger UI's static files; metrics has its own guard
  if (r.url.endsWith('/stream')) return false; // event streams stay open by design (tested in the delivery suites)
  if (r.url === '/api/auth/logout') return false; // would end nothing of ours, but sessions are not what is fuzzed here
  return true;
}

function roleFor(r: Route): string | null {
  if (!r.roles?.length || r.roles.includes('public')) return null;
  return ROLE_ORDER.find((x) => r.roles!.includes(x)) ?? null;
}

/** `count` cases for one route, reproducible from `seed`. */
export function casesFor(r: Route, doc: any, count: number, seed: number): FuzzCase[] {
  const op = doc.paths?.[r.url.replace(/:([A-Za-z]+)/g, '{$1}')]?.[r.method.toLowerCase()];
  const schema = op?.requestBody?.content?.['application/json']?.schema;
  const valid = schema ? sample(schema, doc) : {};
  const queryNames: string[] = (op?.parameters ?? []).filter((p: any) => p.in === 'query').map((p: any) => String(p.name));
  const params = [...r.url.matchAll(/:([A-Za-z]+)/g)].map((m) => m[1]);
  const role = roleFor(r);
  const arb = fc.record({
    // Half the cases keep plausible path parameters so the handler gets past "not found" and reads the body.
    path: fc.boolean().chain((plausible) => (plausible || !params.length ? fc.constant(concrete(r.url)) : fc.tuple(...params.map(() => pathValue)).map((vals) => {
      let i = 0;
      return r.url.replace(/:[A-Za-z]+/g, () => vals[i++]);
    }))),
    query: queryCases(queryNames),
    body: MUTATING.has(r.method) ? bodyCases(valid).map((b) => b as BodyCase | undefined) : fc.constant(undefined),
  });
  return fc.sample(arb, { numRuns: count, seed }).map(({ path, query, body }) => ({ route: r, path: query ? `${path}?${query}` : path, role, body }));
}

export interface FuzzOutcome { cases: number; byStatus: Map<number, number>; failures: string[] }

/** Sends the cases one by one and records every answer that is not an acceptable one. */
export async function runCases(s: TestServer, cases: FuzzCase[], outcome: FuzzOutcome = { cases: 0, byStatus: new Map(), failures: [] }): Promise<FuzzOutcome> {
  for (const c of cases) {
    const headers: Record<string, string> = {};
    const token = c.role ? s.tokens[c.role as keyof TestServer['tokens']] : undefined;
    if (token) headers.authorization = `Bearer ${token}`;
    let body: string | undefined;
    if (c.body?.kind === 'json') { body = JSON.stringify(c.body.value); headers['content-type'] = 'application/json'; }
    else if (c.body?.kind === 'raw') { body = c.body.bytes; headers['content-type'] = c.body.contentType; }
    const what = `${c.route.method} ${c.path.slice(0, 160)}${body !== undefined ? ` body ${body.slice(0, 160)}` : ''}`;
    outcome.cases++;
    let res: Response;
    try {
      res = await fetch(s.url + c.path, { method: c.route.method, headers, body, signal: AbortSignal.timeout(10_000) });
    } catch (err) {
      outcome.failures.push(`${what}: no answer (${(err as Error).message})`);
      continue;
    }
    const text = await res.text();
    outcome.byStatus.set(res.status, (outcome.byStatus.get(res.status) ?? 0) + 1);
    if (res.status >= 500) outcome.failures.push(`${what}: ${res.status} ${text.slice(0, 200)}`);
    // Pages for people (a call-up's personal answer link) refuse with an HTML page; everything else with a problem.
    else if (res.status >= 400 && res.status !== 405 && !/^text\/html/.test(res.headers.get('content-type') ?? '')) {
      let code: unknown;
      try { code = (JSON.parse(text) as { code?: unknown }).code; } catch { /* not JSON: reported below */ }
      if (typeof code !== 'string' || !code) outcome.failures.push(`${what}: ${res.status} without a problem code: ${text.slice(0, 200)}`);
    }
  }
  return outcome;
}
