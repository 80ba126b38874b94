// Shared fixtures for the planning tests: the CLI, and the hand-checked instance where nearest-first fails.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../helpers.ts';

const BIN = join(ROOT, 'bin', 'refuge.js');
export const refuge = (args: string[]) => spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', cwd: ROOT });

/** Metres east of longitude 0 on the equator, as degrees (haversine radius 6371008.8 m). */
export const east = (m: number) => m / ((6371008.8 * Math.PI) / 180);

export const fc = (features: unknown[]) => JSON.stringify({ type: 'FeatureCollection', features });
export const point = (id: string, m: number, population: number) => ({ type: 'Feature', id, properties: { population }, geometry: { type: 'Point', coordinates: [east(m), 0] } });
const box = (code: string, name: string, x0: number, x1: number, warning: number) => ({
  type: 'Feature', properties: { code, name, warning_time_s: warning },
  geometry: { type: 'Polygon', coordinates: [[[x0, -0.01], [x1, -0.01], [x1, 0.01], [x0, 0.01], [x0, -0.01]]] },
});

/**
 * The instance where everyone-to-nearest fails: A (100 people, at 0 m) is nearest to S1 (+100 m) but can also reach
 * S2 (-250 m); B (100 people, +350 m) can reach only S1 (250 m). S1 and S2 have 100 places each; S3 has no known
 * capacity. C (7 people) is far away, outside every region. With 5 minutes at 1 m/s and detour 1:
 * nearest-first covers 100 (A at S1, B left out); the optimum covers 200 (A at S2, B at S1), 250 s each.
 */
export function handInstance(dir: string): string {
  const db = join(dir, 'plan.db');
  writeFileSync(join(dir, 'pop.geojson'), fc([point('A', 0, 100), point('B', 350, 100), { ...point('C', 0, 7), geometry: { type: 'Point', coordinates: [1, 0] } }]));
  writeFileSync(join(dir, 'shelters.csv'), `id,name,lat,lon,capacity\ns1,S1,0,${east(100)},100\ns2,S2,0,${east(-250)},100\ns3,S3,0,${east(10)},\n`);
  writeFileSync(join(dir, 'regions.geojson'), fc([box('W', 'West', -0.01, east(50), 120), box('E', 'East', east(50), 0.01, 90)]));
  for (const args of [
    ['import', 'shelters', join(dir, 'shelters.csv'), '--db', db, '--source', 'hand', '--coordinates', 'as-labelled'],
    ['import', 'regions', join(dir, 'regions.geojson'), '--db', db],
    ['import', 'population', join(dir, 'pop.geojson'), '--db', db],
  ]) {
    const r = refuge(args);
    assert.equal(r.status, 0, `${args.join(' ')}: ${r.stderr}`);
  }
  return db;
}

