// Every route's JSON body, query string and path parameters fuzzed at volume (issue 15, "Hostile input"): the same
// cases as test/security/fuzz-http.test.ts, many more of them. Prints the cases per kind, answers by status, the
// failures (a 5xx, a 4xx without a problem code, no answer within 10 s) and the time taken; exits 1 on any failure.
// Run: node --import tsx bench/fuzz-http.ts [casesPerRoute=175] [seed=1]  (175 per route: over 10,000 bodies)
import { MUTATING, walk } from '../test/security/route-walk.ts';
import { casesFor, fuzzable, runCases } from '../test/security/http-fuzz.ts';
import { loadavg } from 'node:os';

const perRoute = Number(process.argv[2] ?? 175);
const seed = Number(process.argv[3] ?? 1);
const closers: Array<() => Promise<void> | void> = [];
const { s, routes } = await walk({ after: (fn) => void closers.push(fn) });
const doc = s.app.swagger() as any;
const walked = routes.filter(fuzzable);
const cases = walked.flatMap((r, i) => casesFor(r, doc, perRoute, seed * 100_003 + i));
const withBody = cases.filter((c) => c.body !== undefined).length;
const withQuery = cases.filter((c) => c.path.includes('?')).length;
const withPathParams = cases.filter((c) => /:[A-Za-z]/.test(c.route.url)).length;
console.log(`${walked.length} routes (${walked.filter((r) => MUTATING.has(r.method)).length} take a body), ${cases.length} cases: ${withBody} bodies, ${withQuery} query strings, ${withPathParams} with path parameters; load average ${loadavg()[0].toFixed(1)}`);
const t0 = performance.now();
const outcome = await runCases(s, cases);
const secs = (performance.now() - t0) / 1000;
console.log(`${outcome.cases} requests in ${secs.toFixed(1)} s (${(outcome.cases / secs).toFixed(0)}/s); answers by status: ${[...outcome.byStatus].sort((a, b) => a[0] - b[0]).map(([k, v]) => `${k}: ${v}`).join(', ')}`);
console.log(outcome.failures.length ? `FAILURES (${outcome.failures.length}):\n${outcome.failures.join('\n')}` : 'no 5xx, no 4xx without a problem code, no hang');
for (const fn of closers.reverse()) await fn();
process.exit(outcome.failures.length ? 1 : 0);
