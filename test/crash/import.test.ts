// SIGKILL from outside while a large shelter registry is being imported over HTTP: the import is one transaction,
// so the store holds all of the file or none of it, and the same file imports whole after a restart.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'node:http';
import Database from 'better-sqlite3';
import { crashDb, kill, prepareStaff, stop, type CrashDb, type Served } from './harness.ts';

// Big enough that its write transaction lasts long enough (tenths of a second) for the probe to see it open.
const ROWS = 20_000;

function registryCsv(): string {
  const lines = ['id,name,capacity,lat,lon'];
  for (let i = 0; i < ROWS; i++) {
    lines.push(`s${i},Shelter ${i},${50 + (i % 200)},${(55.60 + (i % 1000) / 10_000).toFixed(5)},${(12.50 + Math.floor(i / 1000) / 1_000).toFixed(5)}`);
  }
  return lines.join('\n') + '\n';
}

/** Posts the file; `sent` resolves once the whole body is written, `answer` with the status (or the error). */
function postImport(url: string, token: string, csv: string, source: string) {
  let sent!: () => void;
  const whenSent = new Promise<void>((r) => (sent = r));
  const answer = new Promise<number | Error>((resolve) => {
    const req = request(`${url}/api/shelters/import?source=${source}`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'text/csv' } }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode!));
      res.on('error', resolve);
    });
    req.on('error', resolve);
    req.end(csv, sent);
  });
  return { sent: whenSent, answer };
}

/**
 * True while another connection is inside a write transaction: on SQLite the write lock is taken (a BEGIN IMMEDIATE
 * of our own fails at once), on PostgreSQL a transaction holds the row-exclusive lock on the shelters table.
 */
async function writerInside(t: { after: (fn: () => void) => void }, db: CrashDb): Promise<() => Promise<boolean>> {
  if (db.path) {
    const probe = new Database(db.path, { timeout: 0 });
    t.after(() => probe.close());
    return async () => {
      try {
        probe.exec('BEGIN IMMEDIATE');
        probe.exec('ROLLBACK');
        return false;
      } catch (e) {
        if ((e as { code?: string }).code === 'SQLITE_BUSY') return true;
        throw e;
      }
    };
  }
  return async () => (await db.rows(`SELECT 1 FROM pg_locks l JOIN pg_class c ON c.oid = l.relation JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE n.nspname = ? AND c.relname = 'shelters' AND l.mode = 'RowExclusiveLock' AND l.granted AND l.pid <> pg_backend_pid()`, [db.schema])).length > 0;
}

async function importedRows(db: CrashDb, source: string): Promise<{ shelters: number; history: number; sources: number }> {
  const [r] = await db.rows<{ shelters: number; history: number; sources: number }>(`SELECT
    CAST((SELECT COUNT(*) FROM shelters WHERE source = ?) AS INTEGER) AS shelters,
    CAST((SELECT COUNT(*) FROM shelter_history h JOIN shelters s ON s.id = h.shelter_id WHERE s.source = ?) AS INTEGER) AS history,
    CAST((SELECT COUNT(*) FROM sources WHERE name = ?) AS INTEGER) AS sources`, [source, source, source]);
  return r;
}

test('SIGKILL in the middle of a large shelter import over HTTP: all of the file or none of it', async (t) => {
  const db = await crashDb(t);
  const staff = await prepareStaff(db);
  const csv = registryCsv();
  const first: Served = await db.serve();
  const inside = await writerInside(t, db);
  const upload = postImport(first.url, staff.operator, csv, 'big');
  let answered: number | Error | null = null;
  void upload.answer.then((a) => (answered = a));
  await upload.sent;
  // Kill once the import's transaction has been open for three probes in a row (a short write by something else
  // holds the lock for a millisecond, not for 20 ms).
  let streak = 0;
  while (answered === null && streak < 3) {
    streak = (await inside()) ? streak + 1 : 0;
    if (streak < 3) await new Promise((r) => setTimeout(r, 10));
  }
  await kill(first);
  const answer = await upload.answer;
  assert.ok(answer instanceof Error, `the kill landed while the import was running (the client got ${answer}; make the file bigger)`);

  const after = await importedRows(db, 'big');
  t.diagnostic(`after the kill: ${after.shelters} shelters, ${after.history} history rows, ${after.sources} source rows`);
  assert.ok(after.shelters === 0 || after.shelters === ROWS, `all or nothing, not ${after.shelters} of ${ROWS}`);
  assert.equal(after.history, after.shelters, 'one history entry per imported shelter');
  assert.equal(after.sources, after.shelters ? 1 : 0, 'the source is recorded with its shelters, not without');

  // Restarted: the same file imports whole (or, had the first one committed, finds every record unchanged).
  const second = await db.serve();
  const again = postImport(second.url, staff.operator, csv, 'big');
  assert.equal(await again.answer, 201);
  const whole = await importedRows(db, 'big');
  assert.deepEqual(whole, { shelters: ROWS, history: ROWS, sources: 1 });
  await stop(second);
});
