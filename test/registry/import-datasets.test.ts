// Every shelter dataset in ../shared/data imports with the counts and capacity sums of its SOURCE.md,
// and every point lies in its city.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { openSqliteStore } from '../../src/store/sqlite/index.ts';
import { ShelterRegistry } from '../../src/registry/index.ts';
import { importShelters } from '../../src/registry/import/index.ts';
import { SHARED, tempDir } from '../helpers.ts';

const CITIES = {
  // generous city boxes: lon, lat
  jerusalem: [35.1, 31.7, 35.3, 31.9],
  copenhagen: [12.45, 55.6, 12.7, 55.75],
};

const DATASETS = [
  // raw.csv: 149 shelters, total capacity 16,681 (one row has no capacity; its latitude has a trailing comma in
  // another row); X/Y columns are labelled the wrong way round.
  { file: 'jerusalem-shelters/raw_municipality.csv', count: 149, capacity: 16681, unknownCapacity: 1, city: CITIES.jerusalem, warn: /read the other way round/ },
  { file: 'jerusalem-shelters/shelters.csv', count: 149, capacity: 16681, unknownCapacity: 1, city: CITIES.jerusalem },
  // shelters.geojson: 148 features (the row with the malformed latitude was dropped when it was made).
  { file: 'jerusalem-shelters/shelters.geojson', count: 148, capacity: 16601, unknownCapacity: 1, city: CITIES.jerusalem },
  // 1,852 features, 407,788 places; three romnr values occur twice for different buildings.
  { file: 'copenhagen-shelters/shelters.geojson', count: 1852, capacity: 407788, unknownCapacity: 0, city: CITIES.copenhagen, warn: /more than one different row/ },
];

for (const d of DATASETS) {
  test(`dataset ${d.file} imports whole, and re-importing changes nothing`, async (t) => {
    const store = openSqliteStore(join(tempDir(t), 'x.db'));
    t.after(() => store.close());
    const registry = new ShelterRegistry(store.shelters);
    await registry.load();
    const bytes = readFileSync(join(SHARED, d.file));
    const s = await importShelters(registry, bytes, d.file, { source: 'src' });
    assert.equal(s.imported, d.count);
    assert.equal(s.rejected, 0);
    assert.equal(s.totalCapacity, d.capacity);
    assert.equal(s.unknownCapacity, d.unknownCapacity);
    if (d.warn) assert.ok(s.warnings.some((w) => d.warn!.test(w)), s.warnings.join('\n'));
    const all = registry.all();
    assert.equal(all.length, d.count);
    assert.equal(all.reduce((sum, x) => sum + (x.capacity ?? 0), 0), d.capacity);
    for (const x of all) {
      assert.ok(x.lon >= d.city[0] && x.lon <= d.city[2] && x.lat >= d.city[1] && x.lat <= d.city[3], `${x.name} at ${x.lat},${x.lon} is outside the city`);
      assert.ok(x.name.length > 0 && !x.name.includes('<'), `name "${x.name}"`);
    }
    const again = await importShelters(registry, bytes, d.file, { source: 'src' });
    assert.deepEqual([again.imported, again.updated, again.unchanged], [0, 0, d.count]);
    assert.equal((await store.shelters.list()).length, d.count);
  });
}
