// Issue 15, "Hostile input": property-based fuzzing (fast-check) of every importer and the CAP parser, a seeded
// 200-case run each (bench/fuzz.ts runs the same properties 10,000+ times). The only allowed outcomes are success or
// the importer's own refusal with a message: no TypeError, RangeError or other crash. A hang fails by the timeout.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fuzz, fuzzTargets } from '../../bench/fuzz.ts';

const SEED = 20261204;
const RUNS = 200;

test('fuzzing the importers and the CAP parser: success or the importer\'s own error, nothing else', { timeout: 300_000 }, async (t) => {
  const { targets, close } = await fuzzTargets();
  t.after(close);
  assert.ok(targets.length >= 10);
  for (const target of targets) {
    const r = await fuzz(target, RUNS, SEED);
    assert.equal(r.runs, RUNS, target.name);
    // Both outcomes occur, so the generators reach past the first check (a property that only ever refuses at the
    // header would prove little).
    assert.ok(Object.values(r.refused).reduce((a, b) => a + b, 0) > 0, `${target.name}: some inputs are refused`);
  }
});

test('the generators reach acceptance for the importers that accept partial files or whole good ones', { timeout: 120_000 }, async (t) => {
  const { targets, close } = await fuzzTargets();
  t.after(close);
  for (const name of ['shelters CSV (whole)', 'shelters GeoJSON', 'units CSV', 'stock catalogue CSV', 'CAP parser']) {
    const r = await fuzz(targets.find((x) => x.name === name)!, RUNS, SEED);
    assert.ok(r.ok > 0, `${name}: some generated inputs are accepted (${JSON.stringify(r)})`);
  }
});
