// CLI commands of the plan capability: `refuge import population`, `refuge plan coverage|assign|siting|status`.
import { createHash, randomUUID } from 'node:crypto';
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import cliProgress from 'cli-progress';
import { parse as parseCsv } from 'csv-parse/sync';
import type { Command } from 'commander';
import type { CliGroups } from '../groups.ts';
import { fail, openCliServices } from '../groups.ts';
import type { StoreFlags } from '../../app/compose.ts';
import { loadPlanningData, storedShelters } from '../../app/planning-data.ts';
import type { Store } from '../../store/store.ts';
import {
  parsePopulation, PopulationImportError, runPlanJob, readOsmBuildings, estimateFromBuildings, PbfFormatError, ESTIMATE_FORMAT, DEFAULT_FLOOR_M2_PER_RESIDENT, type PopulationCell, staleness, type Candidate, type JobProgress, type PlanJob, type PlanResult, type SitingResult, type WhatIf,
} from '../../planning/index.ts';
import { cellsGeoJson, perCell, perShelter, sheltersGeoJson, toCsv } from '../../planning/export.ts';
import { regionReport } from '../../planning/report.ts';
import { RegionIndex } from '../../geo/index.ts';

interface BaseOpts extends StoreFlags {
  minutes: string;
  speed?: string;
  detour?: string;
  excludeClass: string[];
  notVerifiedDays?: string;
  excludeLocked?: boolean;
  warningTimes?: boolean;
  json?: boolean;
  geojson?: string;
  csv?: string;
  progress?: boolean;
}

const collect = (v: string, prev: string[]) => [...prev, v];

function num(name: string, value: string | undefined, min: number, max: number, integer = false): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n < min || n > max || (integer && !Number.isInteger(n))) {
    fail(`--${name} must be a ${integer ? 'whole ' : ''}number from ${min} to ${max}, not ${JSON.stringify(value)}`);
  }
  return n;
}

function baseOptions(cmd: Command): Command {
  return cmd
    .option('--db <path>', 'database file (embedded SQLite; default ./refuge.db)')
    .requiredOption('--minutes <n>', 'threshold: minutes of walking to a shelter place')
    .option('--warning-times', 'use each region\'s own warning time as the threshold for the people in it (--minutes where a region has none)')
    .option('--speed <m/s>', 'walking speed (default: the network profile\'s, 1.3)')
    .option('--detour <factor>', 'straight-line mode: walking distance = great-circle distance x factor (default 1.3)')
    .option('--exclude-class <class>', 'what if: leave out shelters of this protection class (A, B, C, unknown; repeatable)', collect, [])
    .option('--not-verified-days <n>', 'what if: leave out shelters not verified in the last N days')
    .option('--exclude-locked', 'what if: leave out shelters that are locked now')
    .option('--json', 'print the result as one JSON object')
    .option('--geojson <file>', 'write cells (or shelters with --per shelter) as GeoJSON')
    .option('--csv <file>', 'write cells (or shelters with --per shelter) as CSV')
    .option('--no-progress', 'no progress bar on stderr');
}

/** The flags that name this store again, in a command a message suggests. */
function storeFlags(store: Store, o: StoreFlags): string {
  return (store.kind === 'postgres' ? `--database-url ${store.location}` : `--db ${store.location}`) + (o.dataDir ? ` --data-dir ${o.dataDir}` : '');
}

function writeAtomic(file: string, text: string): void {
  const tmp = `${file}.tmp-${process.pid}`;
  try {
    writeFileSync(tmp, text);
    renameSync(tmp, file);
  } catch (e) {
    fail(`cannot write ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
}

interface Loaded {
  job: Omit<PlanJob, 'kind'>;
  versions: { registryVersion: string; populationVersion: string; populationFile: string; populationEstimated: boolean; networkVersion: string | null };
  shelterNames: Map<string, { name: string; lat: number; lon: number; places: number }>;
  /** For the region report's inputs line, as the HTTP report gives them (not part of --json's stable inputs). */
  dates: { populationImportedAt: string; registryChangedAt?: string };
}

async function load(o: BaseOpts): Promise<Loaded> {
  const minutes = num('minutes', o.minutes, 0.1, 240)!;
  const speed = num('speed', o.speed, 0.1, 5);
  const detour = num('detour', o.detour, 1, 5);
  const days = num('not-verified-days', o.notVerifiedDays, 0, 36500, true);
  for (const c of o.excludeClass) if (!['A', 'B', 'C', 'unknown'].includes(c)) fail(`--exclude-class must be A, B, C or unknown, not ${JSON.stringify(c)}`);
  const whatIf: WhatIf = {
    ...(o.excludeClass.length ? { excludeClasses: o.excludeClass } : {}),
    ...(days !== undefined ? { notVerifiedForDays: days } : {}),
    ...(o.excludeLocked ? { excludeLocked: true } : {}),
  };
  const svc = await openCliServices(o, { loadRegistry: false });
  try {
    const data = await loadPlanningData(svc.store, svc.paths.networkFile);
    if (!data.population || data.cells.length === 0) fail(`no population in ${svc.store.location}: import one with \`refuge import population FILE ${storeFlags(svc.store, o)}\``);
    const { shelters, registryVersion } = await storedShelters(svc.store);
    return {
      job: {
        cells: data.cells, shelters, regions: data.regions, graphFile: data.graphFile, noNetworkReason: data.noNetworkReason, populationEstimated: data.population.estimated,
        options: { minutes, speed, detour, whatIf, ...(o.warningTimes ? { regionWarningTimes: true } : {}) },
      },
      versions: { registryVersion, populationVersion: data.population.version, populationFile: data.population.file, populationEstimated: data.population.estimated, networkVersion: data.networkVersion },
      shelterNames: new Map(shelters.map((s) => [s.id, { name: s.name, lat: s.lat, lon: s.lon, places: s.capacity ?? 0 }])),
      dates: { populationImportedAt: data.population.importedAt, ...registryChanged(shelters) },
    };
  } finally {
    await svc.close();
  }
}

/** When the registry last changed: its latest shelter update (none for an empty registry). */
function registryChanged(shelters: Array<{ updatedAt: string }>): { registryChangedAt?: string } {
  let changed = '';
  for (const s of shelters) if (s.updatedAt > changed) changed = s.updatedAt;
  return changed ? { registryChangedAt: changed } : {};
}

function progressBar(enabled: boolean): { onProgress: (p: JobProgress) => void; stop: () => void } {
  if (!enabled || !process.stderr.isTTY) return { onProgress: () => {}, stop: () => {} };
  const bar = new cliProgress.SingleBar({ stream: process.stderr, format: '{phase} [{bar}] {percentage}% {value}/{total}', clearOnComplete: true }, cliProgress.Presets.shades_classic);
  let started = false, phase = '';
  return {
    onProgress: (p) => {
      if (p.total <= 0) return; // pivot counts have no known end
      if (!started) { bar.start(p.total, p.done, { phase: p.phase }); started = true; }
      if (p.phase !== phase) { phase = p.phase; bar.setTotal(p.total); }
      bar.update(p.done, { phase: p.phase });
    },
    stop: () => { if (started) bar.stop(); },
  };
}

async function run<K extends PlanJob['kind']>(kind: K, loaded: Loaded, o: { progress?: boolean }, extra: Partial<PlanJob> = {}): Promise<K extends 'siting' ? SitingResult : PlanResult> {
  const bar = progressBar(o.progress !== false);
  try {
    return (await runPlanJob({ kind, ...loaded.job, ...extra } as PlanJob, bar.onProgress)) as K extends 'siting' ? SitingResult : PlanResult;
  } catch (e) {
    bar.stop();
    fail((e as Error).message);
  } finally {
    bar.stop();
  }
}

/** The stable JSON of `plan coverage`: mode, totals, regions first; then what else a reader may want. */
function coverageJson(r: PlanResult, v: Loaded['versions']): object {
  return {
    mode: r.mode,
    totals: r.totals,
    regions: r.regions,
    outside: r.outside,
    withinReach: r.withinReach,
    ...(r.reason ? { reason: r.reason } : {}),
    shelters: r.shelters,
    parameters: r.parameters,
    warnings: r.warnings,
    inputs: v,
    stats: r.stats,
  };
}

function printHuman(r: PlanResult): void {
  const t = r.totals;
  const out = process.stdout;
  out.write(`mode: ${r.mode}${r.reason ? ` (${r.reason})` : ''}\n`);
  out.write(`within ${r.parameters.minutes} min at ${r.parameters.speed} m/s${r.parameters.detour ? `, detour x${r.parameters.detour}` : ''}: ` +
    `${t.covered} of ${t.population} people have a place (${t.uncovered} without); ${t.places} places counted; mean walk ${t.meanWalkSeconds ?? '-'} s\n`);
  for (const w of r.warnings) out.write(`warning: ${w}\n`);
  const rows = [...r.regions].sort((a, b) => b.uncovered - a.uncovered).slice(0, 20);
  if (rows.length) out.write('largest gaps by region:\n');
  for (const g of rows) out.write(`  ${g.code}  ${g.name}: ${g.population} people, ${g.places} places, ${g.covered} covered, ${g.uncovered} without\n`);
  if (r.outside.population || r.outside.places) out.write(`  (outside every region): ${r.outside.population} people, ${r.outside.places} places, ${r.outside.covered} covered, ${r.outside.uncovered} without\n`);
}

function exports(r: PlanResult, loaded: Loaded, o: BaseOpts & { per?: string }): void {
  if (!o.geojson && !o.csv) return;
  if (o.per === 'shelter') {
    const rows = perShelter(countedShelters(loaded), r.assignments);
    if (o.csv) writeAtomic(o.csv, toCsv(rows, ['id', 'name', 'lat', 'lon', 'places', 'assigned', 'free', 'meanWalkSeconds', 'cells']));
    if (o.geojson) writeAtomic(o.geojson, JSON.stringify(sheltersGeoJson(rows)));
    return;
  }
  const rows = perCell(loaded.job.cells, r.assignments);
  if (o.csv) writeAtomic(o.csv, toCsv(rows, ['key', 'lat', 'lon', 'population', 'covered', 'uncovered', 'meanWalkSeconds', 'maxWalkSeconds', 'shelters']));
  if (o.geojson) writeAtomic(o.geojson, JSON.stringify(cellsGeoJson(rows, loaded.job.cells)));
}

/** Shelters a plan counts (not closed, not decommissioned), with their names for exports. */
function countedShelters(loaded: Loaded): Array<{ id: string; name: string; lat: number; lon: number; places: number }> {
  return loaded.job.shelters.filter((s) => s.decommissionedAt === null && s.status !== 'closed').map((s) => ({ id: s.id, ...loaded.shelterNames.get(s.id)! }));
}

function readCandidates(file: string): Candidate[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8').replace(/^\ufeff/, '');
  } catch (e) {
    fail(`cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  const out: Candidate[] = [];
  const bad: string[] = [];
  const ok = (lat: number, lon: number) => Number.isFinite(lat) && Number.isFinite(lon) && Math.abs(lat) <= 90 && Math.abs(lon) <= 180;
  if (text.trimStart().startsWith('{')) {
    let data: any;
    try { data = JSON.parse(text); } catch (e) { fail(`${file}: not valid JSON (${(e as Error).message})`); }
    const features: any[] = Array.isArray(data?.features) ? data.features : [];
    features.forEach((f, i) => {
      const c = f?.geometry?.type === 'Point' ? f.geometry.coordinates : null;
      if (!c || !ok(c[1], c[0])) { bad.push(`feature ${i}: not a WGS84 Point`); return; }
      const id = f.id ?? f.properties?.id ?? f.properties?.name;
      out.push({ ...(id !== undefined ? { id: String(id) } : {}), lat: c[1], lon: c[0] });
    });
  } else {
    const rows = parseCsv(text, { columns: true, skip_empty_lines: true, trim: true }) as Record<string, string>[];
    rows.forEach((r, i) => {
      const lat = Number(r.lat ?? r.latitude), lon = Number(r.lon ?? r.lng ?? r.longitude);
      if (!ok(lat, lon)) { bad.push(`line ${i + 2}: needs lat and lon columns with WGS84 degrees`); return; }
      out.push({ ...(r.id ? { id: r.id } : {}), lat, lon });
    });
  }
  if (bad.length) fail(`${file}: ${bad.length} bad candidate${bad.length === 1 ? '' : 's'}:\n  ${bad.slice(0, 20).join('\n  ')}`);
  if (out.length === 0) fail(`${file}: no candidate points`);
  return out;
}

export function registerPlanCommands(cli: CliGroups): void {
  cli.import.command('population')
    .description('import population cells (the Kontur H3 CSV, or GeoJSON polygons/points/grid cells with a population property), or estimate it from an OSM extract\'s buildings; replaces the previous population whole')
    .argument('<file>', 'CSV (h3, population[, center_lat, center_lon]), GeoJSON (WGS84), or with --estimate-from-buildings an .osm.pbf extract')
    .option('--db <path>', 'database file (embedded SQLite; default ./refuge.db)')
    .option('--population-field <name>', 'property/column holding the number of residents (default: population, pop, ...)')
    .option('--estimate-from-buildings', 'no population data: estimate residents from the buildings of an .osm.pbf extract (footprint x levels / floor area per resident); marked as an estimate everywhere')
    .option('--floor-m2-per-resident <m2>', `with --estimate-from-buildings: gross floor area per resident (default ${DEFAULT_FLOOR_M2_PER_RESIDENT})`)
    .option('--json', 'print the summary as one JSON object')
    .action(async (file: string, o: StoreFlags & { populationField?: string; estimateFromBuildings?: boolean; floorM2PerResident?: string; json?: boolean }) => {
      let bytes: Buffer;
      try {
        bytes = readFileSync(file);
      } catch (e) {
        fail(`cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
      }
      const isPbf = bytes.subarray(0, 64).includes('OSMHeader');
      if (isPbf && !o.estimateFromBuildings) fail(`${file} is an OpenStreetMap extract, not population data: pass --estimate-from-buildings to estimate residents from its buildings (marked as an estimate), or import counted population (CSV/GeoJSON)`);
      if (o.estimateFromBuildings && !isPbf) fail(`${file}: --estimate-from-buildings reads an OpenStreetMap .osm.pbf extract, and this is not one`);
      if (o.estimateFromBuildings && o.populationField) fail('--population-field does not apply to --estimate-from-buildings');
      let parsed: { cells: PopulationCell[]; format: string; populationField: string; total: number; rounded: number; notes: string[] };
      if (o.estimateFromBuildings) {
        const perResident = num('floor-m2-per-resident', o.floorM2PerResident, 5, 500);
        let read;
        try {
          read = await readOsmBuildings(file);
        } catch (e) {
          if (e instanceof PbfFormatError) fail(e.message);
          throw e;
        }
        const est = estimateFromBuildings(read.buildings, perResident !== undefined ? { floorM2PerResident: perResident } : {});
        if (est.cells.length === 0) fail(`${file}: no residential buildings to estimate from (${read.buildings.length} buildings, ${est.nonResidential} of them not residential)`);
        parsed = {
          cells: est.cells, format: ESTIMATE_FORMAT, populationField: 'estimate', total: est.total, rounded: 0,
          notes: [...est.assumptions,
            `${est.counted} buildings with residents, ${est.nonResidential} not residential, ${est.skipped.length} skipped (implausible footprint), ${read.unusable.length} building ways unusable (not closed, or clipped at the extract's edge), ${read.relationsCounted} multipolygon buildings counted, ${read.relations} building relations not (${read.unusableRelations.length} could not be assembled from the extract)`],
        };
      } else {
        try {
          parsed = parsePopulation(bytes, file, { populationField: o.populationField });
        } catch (e) {
          if (e instanceof PopulationImportError) {
            if (o.json) process.stdout.write(JSON.stringify({ file, imported: false, problems: e.problems }) + '\n');
            fail(e.message);
          }
          throw e;
        }
      }
      const estimated = parsed.format === ESTIMATE_FORMAT;
      const svc = await openCliServices(o, { loadRegistry: false });
      try {
        const version = await svc.store.population.replace(parsed.cells, {
          file, sha256: createHash('sha256').update(bytes).digest('hex'), format: parsed.format, populationField: parsed.populationField,
        });
        const summary = { file, imported: true, estimated, format: parsed.format, populationField: parsed.populationField, cells: parsed.cells.length, total: parsed.total, rounded: parsed.rounded, version: version.version, notes: parsed.notes };
        if (o.json) process.stdout.write(JSON.stringify(summary) + '\n');
        else {
          for (const n of parsed.notes) process.stderr.write(`note: ${n}\n`);
          process.stdout.write(estimated
            ? `imported an ESTIMATE of ${parsed.total} people in ${parsed.cells.length} buildings from ${file} (OpenStreetMap buildings, not a census), version ${version.version}\n`
            : `imported ${parsed.cells.length} cells, ${parsed.total} people from ${file} (${parsed.format}, field "${parsed.populationField}"), version ${version.version}\n`);
        }
      } finally {
        await svc.close();
      }
    });

  const plan = cli.program.command('plan').description('coverage and capacity planning: who can reach a shelter place in time, an exact place for every resident, where to build');

  baseOptions(plan.command('coverage')
    .description('people, places, covered and uncovered per region within N minutes, by an exact capacitated assignment (network mode when a walking network is imported, straight-line otherwise)'))
    .option('--per <what>', 'exports per cell (default) or per shelter', 'cell')
    .action(async (o: BaseOpts & { per: string }) => {
      const loaded = await load(o);
      const r = await run('coverage', loaded, o);
      exports(r, loaded, o);
      if (o.json) process.stdout.write(JSON.stringify(coverageJson(r, loaded.versions)) + '\n');
      else printHuman(r);
    });

  baseOptions(plan.command('assign')
    .description('the exact assignment of every cell\'s residents to shelters (max people covered, then least walking), stored as the current plan ("your place")'))
    .option('--per <what>', 'exports per cell (default) or per shelter', 'cell')
    .action(async (o: BaseOpts & { per: string }) => {
      if (!['cell', 'shelter'].includes(o.per)) fail(`--per must be cell or shelter, not ${JSON.stringify(o.per)}`);
      const loaded = await load(o);
      const r = await run('assign', loaded, o);
      const id = randomUUID();
      const svc = await openCliServices(o, { loadRegistry: false });
      try {
        await svc.store.plans.save({
          id, kind: 'assign', createdAt: new Date().toISOString(), createdBy: null, mode: r.mode, params: r.parameters as unknown as Record<string, unknown>,
          registryVersion: loaded.versions.registryVersion, populationVersion: loaded.versions.populationVersion, networkVersion: loaded.versions.networkVersion,
          summary: coverageJson(r, loaded.versions),
        }, r.assignments);
      } finally {
        await svc.close();
      }
      exports(r, loaded, o);
      if (o.json) process.stdout.write(JSON.stringify({ planId: id, ...coverageJson(r, loaded.versions) }) + '\n');
      else {
        printHuman(r);
        process.stdout.write(`stored as plan ${id} (${r.assignments.length} assignment rows)\n`);
      }
    });

  baseOptions(plan.command('siting')
    .description('K new shelter sites of a given capacity that cover the most people still without a place (greedy with exact re-evaluation; at least 63% of the best possible gain)'))
    .requiredOption('--count <k>', 'how many sites')
    .requiredOption('--capacity <n>', 'places per new site')
    .option('--candidates <file>', 'candidate points (GeoJSON Points or CSV with lat, lon[, id]); default: where people are left without a place')
    .action(async (o: BaseOpts & { count: string; capacity: string; candidates?: string }) => {
      const count = num('count', o.count, 1, 1000, true)!;
      const capacity = num('capacity', o.capacity, 1, 1e6, true)!;
      const candidates = o.candidates ? readCandidates(o.candidates) : undefined;
      const loaded = await load(o);
      const r = await run('siting', loaded, o, { count, capacity, candidates });
      if (o.geojson) {
        writeAtomic(o.geojson, JSON.stringify({
          type: 'FeatureCollection',
          features: r.sites.map((s, i) => ({ type: 'Feature', geometry: { type: 'Point', coordinates: [s.lon, s.lat] }, properties: { rank: i + 1, id: s.id, capacity: s.capacity, gain: s.gain, coveredAfter: s.coveredAfter } })),
        }));
      }
      if (o.csv) writeAtomic(o.csv, toCsv(r.sites.map((s, i) => ({ rank: i + 1, ...s })), ['rank', 'id', 'lat', 'lon', 'capacity', 'gain', 'coveredAfter']));
      const summary = { mode: r.mode, before: r.before, after: r.after, sites: r.sites, candidates: r.candidates, evaluations: r.evaluations, guarantee: r.guarantee, inputs: loaded.versions, warnings: r.plan.warnings };
      if (o.json) {
        process.stdout.write(JSON.stringify(summary) + '\n');
        return;
      }
      process.stdout.write(`mode: ${r.mode}; covered now ${r.before.covered} of ${r.before.population}; with ${r.sites.length} new sites: ${r.after.covered}\n`);
      r.sites.forEach((s, i) => process.stdout.write(`${i + 1}. ${s.id} (${s.lat.toFixed(5)}, ${s.lon.toFixed(5)}): +${s.gain} people\n`));
      if (r.sites.length < count) process.stdout.write(`no further candidate covers anyone more (${r.sites.length} of ${count} sites placed)\n`);
      process.stdout.write(`${r.guarantee}\n`);
    });

  baseOptions(plan.command('report')
    .description('a readable per-region report (Markdown): people, places, covered, uncovered, the three largest gaps, what proposed sites would add, the inputs\' versions'))
    .option('--sites <k>', 'also propose K sites (as plan siting) and show what they add per region')
    .option('--capacity <n>', 'places per proposed site (with --sites)', '300')
    .option('--out <file>', 'write the report to this file instead of stdout')
    .action(async (o: BaseOpts & { sites?: string; capacity: string; out?: string }) => {
      const sites = num('sites', o.sites, 1, 1000, true);
      const capacity = num('capacity', o.capacity, 1, 1e6, true)!;
      const loaded = await load(o);
      const before = await run('coverage', loaded, o);
      const after = sites ? await run('siting', loaded, o, { count: sites, capacity }) : undefined;
      const text = regionReport(before, loaded.job.cells, new RegionIndex(loaded.job.regions), { generatedAt: new Date().toISOString(), ...loaded.versions, ...loaded.dates }, after ? { plan: after.plan, sites: after.sites } : undefined);
      if (o.out) writeAtomic(o.out, text);
      else process.stdout.write(text);
    });

  plan.command('status')
    .description('the current plan: when and from which inputs it was made, and whether it has gone stale')
    .option('--db <path>', 'database file (embedded SQLite; default ./refuge.db)')
    .option('--json', 'print as JSON')
    .action(async (o: StoreFlags & { json?: boolean }) => {
      const svc = await openCliServices(o, { loadRegistry: false });
      try {
        const p = await svc.store.plans.latest('assign');
        if (!p) fail(`no plan in ${svc.store.location}: make one with \`refuge plan assign ${storeFlags(svc.store, o)} --minutes N\``);
        const data = await loadPlanningData(svc.store, svc.paths.networkFile);
        const { registryVersion } = await storedShelters(svc.store);
        const s = staleness(p, { registryVersion, populationVersion: data.population?.version ?? null, networkVersion: data.networkVersion });
        const out = { id: p.id, createdAt: p.createdAt, mode: p.mode, params: p.params, registryVersion: p.registryVersion, populationVersion: p.populationVersion, networkVersion: p.networkVersion, ...s };
        if (o.json) process.stdout.write(JSON.stringify(out) + '\n');
        else process.stdout.write(`plan ${p.id} made ${p.createdAt} (${p.mode}); ${s.stale ? `STALE: ${s.reasons.join('; ')}` : 'current: made from the registry, population and network in use'}\n`);
      } finally {
        await svc.close();
      }
    });
}
