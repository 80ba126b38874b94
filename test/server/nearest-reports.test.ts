// Open resident reports in the public nearest answer, over real HTTP and a real SQLite file: a reported shelter is
// marked with its open reports and ranked after the unreported shelters reachable in time, until an operator decides.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer } from '../helpers.ts';

const ORIGIN = { lat: 55.68, lon: 12.57 };

async function withFourShelters(t: Parameters<typeof startTestServer>[0]) {
  const s = await startTestServer(t);
  const at = (metres: number) => ({ lat: ORIGIN.lat + metres / 111_200, lon: ORIGIN.lon });
  const ids: Record<'A' | 'B' | 'C' | 'D', string> = { A: '', B: '', C: '', D: '' };
  for (const [name, metres] of [['A', 100], ['B', 200], ['C', 300], ['D', 2000]] as const) {
    ids[name] = (await s.ctx.registry.create({ name: `Shelter ${name}`, ...at(metres), capacity: 50 }, 'seed')).id;
  }
  const names = (body: { results: Array<{ id: string }> }) => body.results.map((r) => Object.entries(ids).find(([, id]) => id === r.id)?.[0] ?? r.id);
  const nearest = async (query: string) => {
    const res = await s.request('GET', `/api/nearest?lat=${ORIGIN.lat}&lon=${ORIGIN.lon}&${query}`);
    assert.equal(res.status, 200, res.text);
    return res.body;
  };
  const report = async (shelterId: string, kind: string, note?: string) => {
    const res = await s.request('POST', '/api/reports', { body: { shelterId, kind, ...(note ? { note } : {}) } });
    assert.equal(res.status, 201, res.text);
    return res.body.report as { id: string; note: string | null };
  };
  return { s, ids, names, nearest, report };
}

test('an open "locked" report marks the shelter and ranks it after the unreported shelters reachable in time', async (t) => {
  const { s, ids, names, nearest, report } = await withFourShelters(t);
  const before = await nearest('k=4');
  assert.deepEqual(names(before), ['A', 'B', 'C', 'D']);
  assert.ok(before.results.every((r: object) => !('openReports' in r)), 'no report yet, no mark');
  // A warning time that C reaches and D does not.
  const within = Math.round((before.results[2].walkSeconds + before.results[3].walkSeconds) / 2);

  const filed = await report(ids.A, 'locked', 'Chain on the door');
  assert.equal(filed.note, 'Chain on the door');
  const reported = await nearest(`k=4&within=${within}`);
  assert.deepEqual(names(reported), ['B', 'C', 'A', 'D'], 'reported A comes after the unreported reachable ones, still before an unreachable one');
  const a = reported.results[2];
  assert.deepEqual(a.openReports, { locked: 1, closed: 0, missing: 0 });
  assert.equal(a.reachableInTime, true);
  assert.ok(!('openReports' in reported.results[0]));
  assert.equal(reported.noneReachableInTime, false);

  // k=3 still gives three shelters: the reported one gives way to the next unreported one reachable in time.
  const three = await nearest(`k=3&within=${within}`);
  assert.deepEqual(names(three), ['B', 'C', 'A']);
  const withoutTime = await nearest('k=3');
  assert.deepEqual(names(withoutTime), ['B', 'C', 'D'], 'without a warning time every unreported shelter comes first');

  // The card of a shelter asks for its own counts (public: counts only, never notes or reporters).
  const own = await s.request('GET', `/api/reports/open?shelterId=${ids.A}`);
  assert.equal(own.status, 200, own.text);
  assert.deepEqual(own.body, { shelterId: ids.A, openReports: { locked: 1, closed: 0, missing: 0 } });
  assert.doesNotMatch(own.text, /Chain/);
  assert.deepEqual((await s.request('GET', `/api/reports/open?shelterId=${ids.B}`)).body.openReports, { locked: 0, closed: 0, missing: 0 });
  const unknown = await s.request('GET', '/api/reports/open?shelterId=nope');
  assert.equal(unknown.status, 404);
  assert.match(JSON.stringify(unknown.body), /shelterId/);
  assert.equal((await s.request('GET', '/api/reports/open')).status, 400);

  // The operator dismisses the report: A is first again and unmarked.
  const dismissed = await s.request('POST', `/api/reports/${filed.id}/dismiss`, { token: s.tokens.operator });
  assert.equal(dismissed.status, 200, dismissed.text);
  const after = await nearest(`k=4&within=${within}`);
  assert.deepEqual(names(after), ['A', 'B', 'C', 'D']);
  assert.ok(after.results.every((r: object) => !('openReports' in r)));
});

test('"missing" reports are counted per kind; confirming one closes the shelter and it leaves the answer', async (t) => {
  const { s, ids, names, nearest, report } = await withFourShelters(t);
  const missing = await report(ids.B, 'missing');
  await report(ids.B, 'closed');
  const marked = await nearest('k=4');
  assert.deepEqual(names(marked), ['A', 'C', 'D', 'B']);
  assert.deepEqual(marked.results[3].openReports, { locked: 0, closed: 1, missing: 1 });

  const confirmed = await s.request('POST', `/api/reports/${missing.id}/confirm`, { token: s.tokens.operator });
  assert.equal(confirmed.status, 200, confirmed.text);
  assert.equal(confirmed.body.shelter.status, 'closed');
  const after = await nearest('k=4');
  // Closed shelters are left out of the public answer; the remaining "closed" report no longer matters there.
  assert.deepEqual(names(after), ['A', 'C', 'D']);
  const all = await nearest('k=4&includeUnusable=true');
  assert.deepEqual(names(all), ['A', 'C', 'D', 'B']);
  assert.deepEqual(all.results[3].openReports, { locked: 0, closed: 1, missing: 0 }, 'the confirmed kind is resolved, the other is still open');
});

test('the report note is kept, too long a note is refused naming the field', async (t) => {
  const { s, ids } = await withFourShelters(t);
  const long = await s.request('POST', '/api/reports', { body: { shelterId: ids.C, kind: 'locked', note: 'x'.repeat(501) } });
  assert.equal(long.status, 400);
  assert.match(JSON.stringify(long.body), /note/);
  const queue = await s.request('GET', '/api/reports', { token: s.tokens.operator });
  assert.equal(queue.body.queue.length, 0, 'nothing half-written');
});
