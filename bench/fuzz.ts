// Property-based fuzzing of the importers (issue 15, "Hostile input"): shelters (CSV and GeoJSON), regions (GeoJSON),
// units (CSV), stock (catalogue and opening balances CSV), population (CSV and GeoJSON) and the CAP parser. The only
// allowed outcomes are success or the importer's own error with a message: a TypeError, RangeError or any other
// exception fails. test/security/fuzz-importers.test.ts runs each property 200 times with a fixed seed; run directly,
// this file runs them 10,000 times each and prints counts and times.
// Run: node --import tsx bench/fuzz.ts [runs] [seed]
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import fc from 'fast-check';
import { ImportFileError, prepareImport, prepareImportFrom, readTable } from '../src/registry/import/index.ts';
import { SYNONYMS } from '../src/registry/import/columns.ts';
import { parseRegionsGeoJson, RegionImportError, NAME_FIELD_CANDIDATES, CODE_FIELD_CANDIDATES, WARNING_TIME_FIELD_CANDIDATES, PARENT_FIELD_CANDIDATES } from '../src/geo/regions.ts';
import { parseUnitsCsv, UnitCsvRejected, CSV_COLUMNS, UnitService } from '../src/units/index.ts';
import { importCatalogue, importOpeningBalances, StockImportRejected } from '../src/stock/import.ts';
import { StockService } from '../src/stock/index.ts';
import { parsePopulation, PopulationImportError, POPULATION_FIELD_CANDIDATES } from '../src/planning/population.ts';
import { capToXml, parseCap, CapError } from '../src/alerts/cap/index.ts';
import { openSqliteStore } from '../src/store/sqlite/index.ts';
import { SqliteUnitRepository } from '../src/store/sqlite/units.ts';
import { SqliteStockRepository } from '../src/store/sqlite/stock.ts';
import { testRegions } from '../test/alerts-lifecycle/helpers.ts';
import { SHARED } from '../test/helpers.ts';
import { genuineAlert } from './xml-attacks.ts';

// ---- values that have broken parsers before: numbers at the edges, separators, quotes, encodings, prototype keys

const NASTY = [
  '', ' ', '0', '-0', '1', '-1', '55.67', '12,5', '1 000', '1e309', '-1e309', '1e-400', 'NaN', 'Infinity', '-Infinity', '9007199254740993',
  '0x10', '1_000', '+5', '.5', '5.', '"', '""', '"a"b"', "'", ',', ';', '\t', '|', '\n', '\r\n', '\r', '\uFEFF', '\u0000', '\u2028', '\uFFFD',
  'é', 'Повітряна', 'שם', '😀', '\uD800', 'yes', 'no', 'true', 'false', 'null', 'undefined', '[]', '{}', '[1,2]', '__proto__', 'constructor',
  'toString', 'hasOwnProperty', 'x'.repeat(300), '2026-02-30', '2026-01-01', '9999-99-99', '2026-13-01T25:61:00Z', '=cmd|', '<script>', '#', '-',
  '55.6761,12.5683', '12.5683 55.6761', '90.0000001', '-180', '180.5', '8a2a1072b59ffff', '8a2a1072b59fff', 'UA-30', 'UA-30-1', 'IL-SDEROT',
  'available', 'on-leave', 'leader', 'medic;driver', 'First aid:2030-01-01', 'First aid:nope', 'a@b', '+380 44', 'warden',
];

const nastyString = fc.oneof(
  { weight: 5, arbitrary: fc.constantFrom(...NASTY) },
  { weight: 2, arbitrary: fc.string({ maxLength: 12 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 12 }) },
  { weight: 2, arbitrary: fc.double().map(String) },
  { weight: 1, arbitrary: fc.integer().map(String) },
);

interface CsvShape { headers: string[]; rows: string[][]; delimiter: string; eol: string; quote: 'none' | 'all' | 'broken'; bom: boolean; encoding: 'utf8' | 'latin1' | 'utf16le' }

function renderCsv(s: CsvShape): Buffer {
  const q = (c: string) => (s.quote === 'all' ? `"${c.replace(/"/g, '""')}"` : s.quote === 'broken' ? `"${c}` : c);
  const text = (s.bom ? '\uFEFF' : '') + [s.headers, ...s.rows].map((r) => r.map(q).join(s.delimiter)).join(s.eol) + (s.rows.length % 2 ? s.eol : '');
  return Buffer.from(text, s.encoding);
}

/** What a target's file usually looks like: required and optional columns, and plausible cell values. */
export interface Shape { required: readonly string[]; optional: readonly string[]; plausible: readonly string[] }

/**
 * CSV files: mostly with the columns the importer wants (so rows reach the row checks), cells plausible or nasty;
 * sometimes random headers, broken quoting, other separators and encodings, or random bytes.
 */
export function csvFile(shape: Shape): fc.Arbitrary<Buffer> {
  const values = fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...shape.plausible) }, { weight: 2, arbitrary: nastyString });
  const all = [...shape.required, ...shape.optional];
  const headers = fc.oneof(
    { weight: 8, arbitrary: fc.tuple(fc.subarray([...shape.optional]), fc.array(fc.constantFrom(...all, ...NASTY.slice(0, 5)), { maxLength: 1 })).chain(([opt, extra]) => fc.shuffledSubarray([...shape.required, ...opt, ...extra], { minLength: shape.required.length + opt.length + extra.length })) },
    { weight: 2, arbitrary: fc.array(fc.oneof({ weight: 6, arbitrary: fc.constantFrom(...all) }, { weight: 1, arbitrary: nastyString }), { maxLength: 8 }) },
  );
  const shaped = fc.record({
    headers,
    rows: fc.array(fc.array(values, { maxLength: 9 }), { maxLength: 6 }),
    delimiter: fc.constantFrom(',', ',', ';', '\t', '|'),
    eol: fc.constantFrom('\n', '\r\n', '\r'),
    quote: fc.constantFrom<CsvShape['quote']>('none', 'none', 'none', 'all', 'broken'),
    bom: fc.boolean(),
    encoding: fc.constantFrom<CsvShape['encoding']>('utf8', 'utf8', 'utf8', 'latin1', 'utf16le'),
  }).map((s) => renderCsv({ ...s, rows: s.rows.map((r) => (r.length >= s.headers.length || r.length === 0 ? r : [...r, ...Array(s.headers.length - r.length).fill('1')])) }));
  return fc.oneof({ weight: 19, arbitrary: shaped }, { weight: 1, arbitrary: fc.uint8Array({ maxLength: 200 }).map((b) => Buffer.from(b)) });
}

const jsonish = fc.jsonValue({ maxDepth: 2 });
const coord = fc.oneof(fc.double({ noNaN: false }), fc.constantFrom(0, 12.5, 30, 50, 55.6, -180, 180, 90, -90, 1e308, -0), fc.integer());
const position = fc.oneof({ weight: 6, arbitrary: fc.array(coord, { minLength: 2, maxLength: 3 }) }, { weight: 1, arbitrary: jsonish });
const ring = fc.oneof(
  fc.array(position, { maxLength: 6 }),
  fc.array(fc.tuple(coord, coord), { minLength: 3, maxLength: 6 }).map((ps) => [...ps, ps[0]]), // closed
);
const geometry = fc.oneof(
  fc.record({ type: fc.constant('Point'), coordinates: position }),
  fc.record({ type: fc.constant('Polygon'), coordinates: fc.array(ring, { maxLength: 2 }) }),
  fc.record({ type: fc.constant('MultiPolygon'), coordinates: fc.array(fc.array(ring, { maxLength: 2 }), { maxLength: 2 }) }),
  fc.record({ type: fc.constantFrom('LineString', 'MultiPoint', 'GeometryCollection', 'Bogus'), coordinates: jsonish }),
  jsonish,
  fc.constant(null),
);

const lon = fc.oneof({ weight: 5, arbitrary: fc.double({ min: -180, max: 180, noNaN: true }) }, { weight: 1, arbitrary: coord });
const lat = fc.oneof({ weight: 5, arbitrary: fc.double({ min: -90, max: 90, noNaN: true }) }, { weight: 1, arbitrary: coord });
const goodRing = fc.array(fc.tuple(lon, lat), { minLength: 3, maxLength: 7 }).map((ps) => [...ps, ps[0]]);
const goodGeometry = fc.oneof(
  fc.record({ type: fc.constant('Point'), coordinates: fc.tuple(lon, lat) }),
  fc.record({ type: fc.constant('Polygon'), coordinates: fc.array(goodRing, { minLength: 1, maxLength: 2 }) }),
  fc.record({ type: fc.constant('MultiPolygon'), coordinates: fc.array(fc.array(goodRing, { minLength: 1, maxLength: 2 }), { minLength: 1, maxLength: 2 }) }),
);

/**
 * GeoJSON text: feature collections whose features mostly carry the target's properties and a sound geometry (so
 * they reach the per-feature checks), the rest odd geometries, odd properties, prototype keys and cut-off JSON.
 */
export function geoJsonText(shape: Shape): fc.Arbitrary<string> {
  const fields = [...shape.required, ...shape.optional];
  const key = fc.oneof({ weight: 5, arbitrary: fc.constantFrom(...fields) }, { weight: 1, arbitrary: nastyString });
  const value = fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...shape.plausible) }, { weight: 2, arbitrary: nastyString }, { weight: 2, arbitrary: coord }, { weight: 1, arbitrary: fc.oneof(fc.boolean(), fc.constant(null), jsonish) });
  const wanted = fc.tuple(fc.tuple(...shape.required.map(() => value)), fc.dictionary(key, value, { maxKeys: 4 }))
    .map(([req, extra]) => ({ ...extra, ...Object.fromEntries(shape.required.map((k, i) => [k, req[i]])) }));
  const props = fc.oneof({ weight: 8, arbitrary: wanted }, { weight: 2, arbitrary: fc.dictionary(key, value, { maxKeys: 6 }) }, { weight: 1, arbitrary: jsonish });
  const feature = fc.oneof(
    { weight: 8, arbitrary: fc.record({ type: fc.constant('Feature'), id: fc.oneof(fc.constant(undefined), nastyString, fc.integer(), fc.double()), properties: props, geometry: fc.oneof({ weight: 4, arbitrary: goodGeometry }, { weight: 1, arbitrary: geometry }) }, { requiredKeys: ['type', 'properties', 'geometry'] }) },
    { weight: 1, arbitrary: jsonish },
  );
  const doc = fc.oneof(
    { weight: 8, arbitrary: fc.record({ type: fc.constant('FeatureCollection'), features: fc.array(feature, { maxLength: 5 }), crs: fc.option(jsonish, { nil: undefined }) }, { requiredKeys: ['type', 'features'] }) },
    { weight: 1, arbitrary: feature },
    { weight: 1, arbitrary: fc.array(feature, { maxLength: 3 }) },
    { weight: 1, arbitrary: jsonish },
  );
  return fc.tuple(doc, fc.nat(100), fc.nat(9), fc.nat(9)).map(([d, cut, truncate, protoKey]) => {
    let text = JSON.stringify(d) ?? 'undefined';
    // A key JSON.stringify cannot produce from an object literal, and cut-off files.
    if (protoKey === 0) text = text.replace(/"([^"]+)":/, '"__proto__":');
    return truncate === 0 ? text.slice(0, Math.floor((text.length * cut) / 100)) : text;
  });
}

// ---- CAP: valid documents, mutated

const CAP_SNIPPETS = [
  '<', '>', '&', '&amp;', '&#0;', '&#x110000;', '&#xD800;', '&#65;', ']]>', '<![CDATA[', '<![CDATA[x]]>', '<!--', '-->', '<!-- c -->', '<?', '?>', '<?pi x?>',
  '<!DOCTYPE a>', '<!ENTITY', '"', "'", '\u0000', '\uFFFE', '\uD800', ' xmlns="x"', ' xmlns:a="urn:oasis:names:tc:emergency:cap:1.2"', ' xmlns=""',
  '</alert>', '<alert xmlns="urn:oasis:names:tc:emergency:cap:1.2">', '<info>', '</info>', '<area>', '</area>', '<a:info>', '</a:info>',
  '<polygon>1,2 3,4 5,6 1,2</polygon>', '<polygon>91,0 0,0 0,0 91,0</polygon>', '<polygon>1,2,3 1,2</polygon>', '<polygon> </polygon>',
  '<circle>1,2 3</circle>', '<geocode><valueName>x</valueName><value>y</value></geocode>', '<references>a,b,c</references>',
  '<?xml version="1.0" encoding="UTF-16"?>', '<?xml version="1.1"?>', '\r', '\r\n', '<x:y xmlns:x="http://www.w3.org/2000/09/xmldsig#"/>',
  '<Signature xmlns="http://www.w3.org/2000/09/xmldsig#"><SignatureValue>AAAA</SignatureValue></Signature>',
  // Values that pass the schema, so mutated documents reach the mapping.
  'Actual', 'Exercise', 'Test', 'Alert', 'Update', 'Cancel', 'Public', 'Met', 'Security', 'Immediate', 'Extreme', 'Observed', 'x', 'a b',
  '2026-01-01T00:00:00-00:00', '2026-01-01T00:00:00+14:00', '1999-12-31T23:59:59-12:00', '50,30 50,31 51,31 50,30', '-90,-180 90,180 0,0 -90,-180',
  '1,2 3,4 5,6 1,2 ', '50.5,30.5 10', 'urn:oid:2.49.0.1 s@x,id,2026-01-01T00:00:00-00:00', 'air-raid', 'refuge:event', 'refuge:stage',
];

function capBases(): string[] {
  const samples = readdirSync(`${SHARED}/cap/samples`).filter((f) => f.endsWith('.cap')).map((f) => readFileSync(`${SHARED}/cap/samples/${f}`, 'utf8'));
  const ours = capToXml(genuineAlert());
  const polygon = capToXml({ ...genuineAlert(), info: [{ ...genuineAlert().info[0], areas: [{ areaDesc: 'p', regionCodes: ['UA-30'], polygons: [[[50, 30], [50, 31], [51, 31], [50, 30]]] }] }] });
  return [ours, polygon, ...samples];
}

type Mutation = { kind: 'insert'; at: number; text: string } | { kind: 'delete'; at: number; len: number } | { kind: 'duplicate'; at: number; len: number } | { kind: 'text'; nth: number; text: string };

function mutate(xml: string, ms: Mutation[]): string {
  for (const m of ms) {
    const at = xml.length ? m.kind === 'text' ? 0 : m.at % (xml.length + 1) : 0;
    if (m.kind === 'insert') xml = xml.slice(0, at) + m.text + xml.slice(at);
    else if (m.kind === 'delete') xml = xml.slice(0, at) + xml.slice(at + m.len);
    else if (m.kind === 'duplicate') xml = xml.slice(0, at + m.len) + xml.slice(at, at + m.len) + xml.slice(at + m.len);
    else {
      // Replace the text of one leaf element: where most of the mapping happens.
      let n = 0;
      xml = xml.replace(/>([^<>]*)</g, (all, _t, offset) => (n++ === m.nth % 40 && offset > 0 ? `>${m.text}<` : all));
    }
  }
  return xml;
}

/** CAP inputs: valid documents with 1-4 mutations, as a string or as bytes in one of several encodings. */
export function capInput(bases = capBases()): fc.Arbitrary<string | Buffer> {
  const snippet = fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...CAP_SNIPPETS) }, { weight: 2, arbitrary: nastyString }, { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 8 }) });
  const mutation: fc.Arbitrary<Mutation> = fc.oneof(
    { weight: 4, arbitrary: fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), text: snippet }) },
    { weight: 2, arbitrary: fc.record({ kind: fc.constant('delete' as const), at: fc.nat(), len: fc.integer({ min: 1, max: 40 }) }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('duplicate' as const), at: fc.nat(), len: fc.integer({ min: 1, max: 200 }) }) },
    { weight: 8, arbitrary: fc.record({ kind: fc.constant('text' as const), nth: fc.nat(), text: snippet }) },
  );
  return fc.tuple(fc.constantFrom(...bases), fc.array(mutation, { minLength: 1, maxLength: 3 }), fc.constantFrom('string', 'utf8', 'utf8', 'latin1', 'utf16bom')).map(([base, ms, enc]) => {
    const xml = mutate(base, ms);
    if (enc === 'string') return xml;
    if (enc === 'utf16bom') return Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(xml, 'utf16le')]);
    return Buffer.from(xml, enc as BufferEncoding);
  });
}

// ---- the targets

export interface FuzzTarget {
  name: string;
  arbitrary: fc.Arbitrary<unknown>;
  /** Runs the importer; resolves on success, throws what the importer throws. */
  run(input: unknown): unknown;
  /** The importer's own refusals. */
  refusals: Array<abstract new (...args: never[]) => Error>;
  /** Plain Error with a message counts as a refusal too (the shelter importer's column-mapping errors). */
  plainErrorOk?: boolean;
}

const SHELTERS: Shape = {
  required: ['lat', 'lon', 'capacity'],
  optional: ['id', 'name', 'address', 'kind', 'status', 'access', 'protectionclass', 'stepfree', 'operator', 'contact', 'water', 'toilet', 'power', 'town', 'keyholderphone', ...SYNONYMS.capacity.slice(1, 3)],
  plausible: ['55.67', '12.56', '50.45', '30.52', '31.77', '35.21', '120', '0', '-5', '1.5', 'Shelter A', 'Metro', 'public', 'private', 'basement', 'metro', 'open', 'closed', 'unknown', 'yes', 'no', '1', 'A', 'B', 'S-1', 'S-2', 'S-1'],
};
const UNITS: Shape = {
  required: ['unit_name', 'unit_type'],
  optional: CSV_COLUMNS.filter((c) => c !== 'unit_name' && c !== 'unit_type'),
  plausible: ['Bucha rescue', 'Brovary', 'rescue', 'first-aid', 'UA-30-1', 'UA-30', '50.2', '30.2', 'leader;medic', 'Olena', 'leader', '+380 44 111', 'a@b.org', 'warden', 'rope;radio', 'First aid:2030-01-01', 'available', 'on-leave', '2030-01-01', 'u-1', 'm-1'],
};
const CATALOGUE: Shape = { required: ['name', 'category', 'unit'], optional: ['code', 'decimals', 'tracks_lots'], plausible: ['W1', 'M1', 'B9', 'Water', 'Blanket', 'food', 'medical', 'l', 'piece', '0', '1', '2', '3', '4', 'yes', 'no'] };
const BALANCES: Shape = { required: ['item', 'quantity'], optional: ['lot', 'expires', 'minimum'], plausible: ['W1', 'M1', '2.5', '3', '0', '-1', '1.234', '10', 'L1', 'L2', '2030-01-01', '2020-01-01'] };
const POPULATION: Shape = { required: ['population'], optional: ['h3', 'lat', 'lon', 'center_lat', 'center_lon', 'id', ...POPULATION_FIELD_CANDIDATES.slice(1, 4)], plausible: ['100', '0', '-3', '1e9', '12.5', '8a2a1072b59ffff', '8a1fb46622dffff', '50.45', '30.52', '31.5', '34.6'] };
const REGIONS: Shape = {
  required: ['name', 'code'],
  optional: [...NAME_FIELD_CANDIDATES.slice(1, 3), ...CODE_FIELD_CANDIDATES.slice(1, 3), ...WARNING_TIME_FIELD_CANDIDATES.slice(0, 2), ...PARENT_FIELD_CANDIDATES.slice(0, 2)],
  plausible: ['Kyiv oblast', 'UA-30', 'UA-30-1', 'R1', 'R2', 'R1', '90', '0', '-1', '15.5', 'x'],
};

/** The targets, with a throwaway SQLite store for the importers that check against (and write to) one. */
export async function fuzzTargets(): Promise<{ targets: FuzzTarget[]; close(): void }> {
  const dir = mkdtempSync(join(tmpdir(), 'refuge-fuzz-'));
  const store = openSqliteStore(join(dir, 'fuzz.db'));
  const regions = testRegions();
  const units = new UnitService(new SqliteUnitRepository(store.db), () => regions, async (name) => name === 'warden');
  const stock = new StockService(new SqliteStockRepository(store.db));
  const depot = await stock.createDepot({ name: 'Fuzz depot' }, 'fuzz');
  await importCatalogue(stock, Buffer.from('code,name,category,unit,decimals,tracks_lots\nW1,Water,food,l,1,no\nM1,Medkit,medical,piece,0,yes\n'), 'seed.csv', 'fuzz');
  const targets: FuzzTarget[] = [
    { name: 'shelters CSV (streamed)', arbitrary: csvFile(SHELTERS), run: (b) => prepareImportFrom(b as Buffer, 'fuzz.csv'), refusals: [ImportFileError], plainErrorOk: true },
    { name: 'shelters CSV (whole)', arbitrary: csvFile(SHELTERS), run: (b) => prepareImport(readTable(b as Buffer, 'fuzz.csv')), refusals: [ImportFileError], plainErrorOk: true },
    { name: 'shelters GeoJSON', arbitrary: geoJsonText(SHELTERS), run: (t) => prepareImportFrom(Buffer.from(t as string), 'fuzz.geojson'), refusals: [ImportFileError], plainErrorOk: true },
    { name: 'regions GeoJSON', arbitrary: geoJsonText(REGIONS), run: (t) => parseRegionsGeoJson(t as string, {}, 'fuzz.geojson'), refusals: [RegionImportError] },
    { name: 'units CSV', arbitrary: csvFile(UNITS), run: (b) => parseUnitsCsv(b as Buffer, units, 'fuzz', { units: new Map(), members: new Map() }), refusals: [UnitCsvRejected] },
    { name: 'stock catalogue CSV', arbitrary: csvFile(CATALOGUE), run: (b) => importCatalogue(stock, b as Buffer, 'fuzz.csv', 'fuzz'), refusals: [StockImportRejected, ImportFileError] },
    { name: 'stock balances CSV', arbitrary: csvFile(BALANCES), run: (b) => importOpeningBalances(stock, b as Buffer, 'fuzz.csv', depot.id, 'fuzz'), refusals: [StockImportRejected, ImportFileError] },
    { name: 'population CSV', arbitrary: csvFile(POPULATION), run: (b) => parsePopulation(b as Buffer, 'fuzz.csv'), refusals: [PopulationImportError] },
    { name: 'population GeoJSON', arbitrary: geoJsonText(POPULATION), run: (t) => parsePopulation(t as string, 'fuzz.geojson'), refusals: [PopulationImportError] },
    { name: 'CAP parser', arbitrary: capInput(), run: (x) => parseCap(x as string | Buffer), refusals: [CapError] },
  ];
  return { targets, close: () => { store.close(); rmSync(dir, { recursive: true, force: true }); } };
}

export interface FuzzResult { name: string; runs: number; ok: number; refused: Record<string, number>; ms: number; slowestMs: number }

/** Runs one target's property; throws (with fast-check's counterexample and seed) on any other outcome. */
export async function fuzz(target: FuzzTarget, numRuns: number, seed: number): Promise<FuzzResult> {
  const result: FuzzResult = { name: target.name, runs: 0, ok: 0, refused: {}, ms: 0, slowestMs: 0 };
  const start = performance.now();
  await fc.assert(fc.asyncProperty(target.arbitrary, async (input) => {
    const t = performance.now();
    result.runs++;
    try {
      await target.run(input);
      result.ok++;
    } catch (e) {
      const err = e as Error;
      const own = target.refusals.some((c) => err instanceof c) || (target.plainErrorOk && err?.constructor === Error);
      if (!own) throw new Error(`${target.name}: ${err?.name ?? typeof e} is not a refusal of this importer: ${err?.message}\n${err?.stack?.split('\n').slice(1, 4).join('\n')}`);
      if (typeof err.message !== 'string' || err.message.trim().length < 5) throw new Error(`${target.name}: ${err.name} without a clear message: ${JSON.stringify(err.message)}`);
      result.refused[err.name] = (result.refused[err.name] ?? 0) + 1;
    } finally {
      result.slowestMs = Math.max(result.slowestMs, performance.now() - t);
    }
  }), { numRuns, seed, endOnFailure: true });
  result.ms = performance.now() - start;
  return result;
}

async function main() {
  const runs = Number(process.argv[2] ?? 10_000);
  const seed = Number(process.argv[3] ?? 20261204);
  const { targets, close } = await fuzzTargets();
  console.log(`Node ${process.version}, fast-check ${fc.__version}; ${runs} cases per target, seed ${seed}\n`);
  console.log('| target | cases | accepted | refused (by error class) | total s | cases/s | slowest case ms |');
  console.log('|---|---:|---:|---|---:|---:|---:|');
  let failed = false;
  for (const t of targets) {
    try {
      const r = await fuzz(t, runs, seed);
      const refused = Object.entries(r.refused).map(([k, v]) => `${k} ${v}`).join(', ');
      console.log(`| ${r.name} | ${r.runs} | ${r.ok} | ${refused} | ${(r.ms / 1000).toFixed(1)} | ${Math.round(r.runs / (r.ms / 1000))} | ${r.slowestMs.toFixed(1)} |`);
    } catch (e) {
      failed = true;
      console.log(`| ${t.name} | FAILED | | ${(e as Error).message.split('\n').slice(0, 6).join(' / ').replace(/\|/g, '\\|')} | | | |`);
    }
  }
  close();
  if (failed) process.exitCode = 1;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await main();
