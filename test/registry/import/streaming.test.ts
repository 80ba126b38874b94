// The streaming import (prepareImportFrom: a file read twice, row by row) gives exactly what reading the file whole
// gives: the golden files, encodings decided on bytes far into the file, characters cut across read chunks.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, writeFileSync, appendFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readTable, openTable, prepareImport, prepareImportFrom, type PreparedImport } from '../../../src/registry/import/index.ts';

const here = dirname(fileURLToPath(import.meta.url));
const golden = (p: PreparedImport) => JSON.parse(JSON.stringify({ records: p.records, problems: p.problems, warnings: p.warnings, columns: p.mapping.fields, skippedDuplicates: p.skippedDuplicates }));

for (const name of readdirSync(join(here, 'in'))) {
  test(`streamed import matches the golden file: ${name}`, async () => {
    const expected = JSON.parse(readFileSync(join(here, 'out', name.replace(/\.[^.]+$/, '.json')), 'utf8'));
    assert.deepEqual(golden(await prepareImportFrom({ path: join(here, 'in', name) }, name)), expected);
    assert.deepEqual(golden(await prepareImportFrom(readFileSync(join(here, 'in', name)), name)), expected);
  });
}

function tempFile(t: { after: (fn: () => void) => void }, name: string, bytes: Uint8Array): string {
  const dir = mkdtempSync(join(tmpdir(), 'refuge-stream-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(join(dir, name), bytes);
  return join(dir, name);
}

async function same(path: string, name: string, options = {}) {
  const whole = prepareImport(readTable(readFileSync(path), name), options);
  const streamed = await prepareImportFrom({ path }, name, options);
  assert.deepEqual(golden(streamed), golden(whole));
  assert.equal(streamed.rowsRead, whole.rowsRead);
  return streamed;
}

// Rows long enough that the file spans several 64 KiB read chunks, with multi-byte characters everywhere, so some
// are cut between two chunks.
function rows(n: number, town: string): string[] {
  const lines = ['id;navn;plasser;breddegrad;laengdegrad;adresse'];
  for (let i = 0; i < n; i++) lines.push(`${i};Beskyttelsesrum ${town} ${i};${(i % 400) + 10};55,${6000 + (i % 997)};12,${5000 + Math.floor(i / 997)};Ørstedsgade ${i % 90}, ${town}`);
  return lines;
}

test('a Windows-1252 file is recognised by a byte near its end, far beyond the first read chunk', async (t) => {
  const lines = rows(6000, 'Kobenhavn'); // ASCII only but for the last line ("Ø" is in both encodings' range)
  lines.push('6000;Skjulested Æblehaven;40;55,61;12,51;Ålegade 1, Kobenhavn');
  const bytes = Buffer.concat([Buffer.from(lines.slice(0, -1).join('\n').replace(/Ø/g, 'O') + '\n'), Buffer.from(lines[lines.length - 1], 'latin1')]);
  assert.ok(bytes.length > 4 * 65536);
  const path = tempFile(t, 'late-1252.csv', bytes);
  const p = await same(path, 'late-1252.csv');
  assert.ok(p.warnings.some((w) => /not valid UTF-8; read it as Windows-1252/.test(w)));
  assert.equal(p.records.at(-1)!.name, 'Skjulested Æblehaven');
  assert.equal(p.records.at(-1)!.address, 'Ålegade 1, Kobenhavn');
});

test('UTF-8 with a BOM and multi-byte characters cut across read chunks stays UTF-8', async (t) => {
  for (const town of ['København', 'Київ', 'ירושלים', '東京🏠']) {
    const text = '\uFEFF' + rows(5000, town).join('\r\n');
    const path = tempFile(t, 'utf8.csv', Buffer.from(text, 'utf8'));
    const p = await same(path, 'utf8.csv');
    assert.ok(!p.warnings.some((w) => /UTF-8/.test(w)), town);
    assert.equal(p.records.length, 5000);
    assert.equal(p.records[4999].address, `Ørstedsgade ${4999 % 90}, ${town}`);
    assert.equal(p.mapping.fields.sourceId, 'id');
  }
});

test('streamed: repeated rows, ids used twice, a bad row and a swap decided over the whole file', async (t) => {
  const lines = ['id,name,capacity,lat,lon'];
  for (let i = 0; i < 3000; i++) lines.push(`${i % 2900},Shelter ${i},${i % 50},${(10.7 + (i % 100) / 1000).toFixed(4)},${(59.9 + (i % 97) / 1000).toFixed(4)}`); // Oslo, columns swapped
  lines.push(lines[10], lines[20], '9999,Broken,many,10.7,59.9');
  const path = tempFile(t, 'mixed.csv', Buffer.from(lines.join('\n')));
  const p = await same(path, 'mixed.csv');
  assert.equal(p.skippedDuplicates, 2);
  assert.deepEqual(p.problems.map((x) => [x.line, x.field]), [[3004, 'capacity']]);
  assert.ok(p.warnings.some((w) => /read the other way round/.test(w)));
  assert.ok(p.warnings.some((w) => /ids used by more than one different row/.test(w)));
  // Without an id column two rows at one spot with one name share a key: the second is reported after the others.
  const noId = tempFile(t, 'noid.csv', Buffer.from('name,capacity,lat,lon\nA,1,55.6,12.5\nA,2,55.6,12.5\nB,x,55.7,12.6\n'));
  const q = await same(noId, 'noid.csv');
  assert.deepEqual(q.problems.map((x) => [x.where, x.field, x.reason]), [['line 4', 'capacity', '"x" is not a number'], ['line 3', 'id', 'same id as line 2']]);
});

test('streamed: the same file errors as a file read whole', async (t) => {
  const cases: Array<[string, string | Buffer, RegExp]> = [
    ['empty.csv', ' \n\n ', /is empty/],
    ['binary.csv', Buffer.from([0x69, 0x64, 0x2c, 0x00, 0x01, 0x0a]), /binary file/],
    ['nocoords.csv', 'id,name,capacity\n1,A,3\n', /cannot find the coordinate columns/],
    ['badquote.csv', 'id,name,capacity,lat,lon\n1,"A"x"y,3,55.6,12.5\n2,B,3,55.6,12.5\n', /./],
  ];
  for (const [name, content, re] of cases) {
    const path = tempFile(t, name, typeof content === 'string' ? Buffer.from(content) : content);
    let whole: unknown = null, streamed: unknown = null;
    try { prepareImport(readTable(readFileSync(path), name)); } catch (e) { whole = e; }
    try { await prepareImportFrom({ path }, name); } catch (e) { streamed = e; }
    if (whole === null) { assert.equal(streamed, null, name); continue; }
    assert.match((whole as Error).message, re, name);
    assert.equal((streamed as Error)?.message, (whole as Error).message, name);
  }
  // --map naming a column the file lacks is reported as before, after a malformed line would have been.
  const path = tempFile(t, 'map.csv', Buffer.from('id,name,capacity,lat,lon\n1,A,3,55.6,12.5\n'));
  await assert.rejects(prepareImportFrom({ path }, 'map.csv', { map: { nope: 'lat' } }), /--map names column "nope"/);
});

test('a file changed between the two readings is refused, not half read', async (t) => {
  const path = tempFile(t, 'moving.csv', Buffer.from('id,name,capacity,lat,lon\n1,A,3,55.6,12.5\n'));
  const source = await openTable({ path }, 'moving.csv');
  assert.equal(source.format, 'csv');
  if (source.format !== 'csv') return;
  for await (const rows of source.rows(() => {})) assert.equal(rows.length, 1);
  appendFileSync(path, '2,B,4,55.7,12.6\n');
  await assert.rejects(async () => { for await (const rows of source.rows(() => {})) void rows; }, /moving\.csv: changed while it was being imported/);
});
