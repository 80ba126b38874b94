// Every route's JSON body, query string and path parameters, fuzzed with a fixed seed (issue 15, "Hostile input"):
// a few cases per route here, over 10,000 per kind in bench/fuzz-http.ts. The only acceptable answers are a success
// or a 4xx problem document with a code; the server must still answer afterwards.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { walk } from './route-walk.ts';
import { casesFor, fuzzable, runCases } from './http-fuzz.ts';

const PER_ROUTE = 4;
const SEED = 20261205;

test('fuzzed bodies, query strings and path parameters on every route get a success or a 4xx problem, never a 5xx or a hang', async (t) => {
  // Hundreds of writes a minute from one account: the request limits (which are not what is fuzzed) are lifted for
  // loopback, so every case reaches its route's validation and handler.
  const { s, routes } = await walk(t, { rateLimitAllow: ['127.0.0.1', '::1', '::ffff:127.0.0.1'] });
  const doc = s.app.swagger() as any;
  const walked = routes.filter(fuzzable);
  assert.ok(walked.length >= 120, `routes fuzzed: ${walked.length}`);
  const outcome = await runCases(s, walked.flatMap((r, i) => casesFor(r, doc, PER_ROUTE, SEED + i)));
  assert.equal(outcome.cases, walked.length * PER_ROUTE);
  // The fuzzer must reach the handlers, not only the validators: some cases are accepted, many refused.
  const ok = [...outcome.byStatus].filter(([st]) => st < 300).reduce((a, [, n]) => a + n, 0);
  const refused = [...outcome.byStatus].filter(([st]) => st >= 400 && st < 500).reduce((a, [, n]) => a + n, 0);
  assert.ok(ok > 0 && refused > 0, `answers by status: ${JSON.stringify([...outcome.byStatus])}`);
  assert.deepEqual(outcome.failures, [], `${outcome.failures.length} bad answers of ${outcome.cases}:\n${outcome.failures.join('\n')}`);
  const health = await s.request('GET', '/healthz');
  assert.equal(health.status, 200, 'the server still answers');
});
