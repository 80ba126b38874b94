// Makes data/demo/demo-regions.geojson: alert regions for the demo, drawn around the demo registries' shelters
// (one area per city, and for Copenhagen one per postal district), because neither city's official alert areas can be
// shipped here. They are approximations for trying the alert flow, not real warning areas.
// Run: node --import tsx scripts/make-demo-regions.ts
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readTable, prepareImport } from '../src/registry/import/index.ts';
import { DEMO_DIR } from '../src/cli/demo.ts';

type Pt = [number, number];

function hull(points: Pt[]): Pt[] {
  const p = [...points].sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const cross = (o: Pt, a: Pt, b: Pt) => (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0]);
  const lower: Pt[] = [], upper: Pt[] = [];
  for (const q of p) { while (lower.length >= 2 && cross(lower[lower.length - 2], lower[lower.length - 1], q) <= 0) lower.pop(); lower.push(q); }
  for (const q of p.reverse()) { while (upper.length >= 2 && cross(upper[upper.length - 2], upper[upper.length - 1], q) <= 0) upper.pop(); upper.push(q); }
  return [...lower.slice(0, -1), ...upper.slice(0, -1)];
}

/** Pushes each vertex away from the centre by `metres`, so shelters on the edge are well inside. */
function grow(ring: Pt[], metres: number): Pt[] {
  const cx = ring.reduce((s, p) => s + p[0], 0) / ring.length, cy = ring.reduce((s, p) => s + p[1], 0) / ring.length;
  const mPerDegLat = 111_320, mPerDegLon = 111_320 * Math.cos((cy * Math.PI) / 180);
  const out = ring.map(([x, y]): Pt => {
    const dx = (x - cx) * mPerDegLon, dy = (y - cy) * mPerDegLat, d = Math.hypot(dx, dy) || 1;
    return [+(x + (dx / d) * metres / mPerDegLon).toFixed(6), +(y + (dy / d) * metres / mPerDegLat).toFixed(6)];
  });
  return [...out, out[0]];
}

const features: object[] = [];
const cities = [
  { file: 'copenhagen-shelters.geojson', code: 'demo-copenhagen', name: 'Copenhagen (demo area)', districts: true },
  { file: 'jerusalem-shelters.csv', code: 'demo-jerusalem', name: 'Jerusalem (demo area)', districts: false },
];
for (const city of cities) {
  const records = prepareImport(readTable(readFileSync(join(DEMO_DIR, city.file)), city.file)).records;
  const pts = records.map((r): Pt => [r.lon!, r.lat!]);
  features.push({ type: 'Feature', properties: { code: city.code, name: city.name, warning_time_s: 90, parent: null }, geometry: { type: 'Polygon', coordinates: [grow(hull(pts), 400)] } });
  if (!city.districts) continue;
  const groups = new Map<string, Pt[]>();
  for (const r of records) {
    const m = /\b(\d{4}) ([^,]+)$/.exec(r.address ?? '');
    if (!m) continue;
    const key = m[2].trim();
    groups.set(key, [...(groups.get(key) ?? []), [r.lon!, r.lat!]]);
  }
  for (const [district, p] of [...groups].sort()) {
    if (p.length < 10) continue;
    const code = `${city.code}-${district.toLowerCase().replace(/ø/g, 'oe').replace(/æ/g, 'ae').replace(/å/g, 'aa').normalize('NFKD').replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '')}`;
    features.push({ type: 'Feature', properties: { code, name: `${district} (demo district)`, warning_time_s: 90, parent: city.code }, geometry: { type: 'Polygon', coordinates: [grow(hull(p), 150)] } });
  }
}
writeFileSync(join(DEMO_DIR, 'demo-regions.geojson'), JSON.stringify({ type: 'FeatureCollection', features }) + '\n');
console.log(`${features.length} demo regions`);
