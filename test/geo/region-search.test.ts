// Region search (web/src/lib/region-search.ts) on real region names: the Copenhagen demo districts (Danish), the Home
// Front Command areas (Hebrew), Ukraine's oblasts in every language OSM carries (Ukrainian, Arabic, ...) and its
// hromadas (apostrophes typed three ways).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { normalizeName, RegionSearch, MatchRank, type SearchEntry } from '../../web/src/lib/region-search.ts';
import { parseRegionsGeoJson } from '../../src/geo/index.ts';

const SHARED = '/work/shared/data';
const ROOT = join(import.meta.dirname, '..', '..');

const demo = parseRegionsGeoJson(readFileSync(join(ROOT, 'data', 'demo', 'demo-regions.geojson'), 'utf8'), {}, 'demo').regions;
const demoSearch = new RegionSearch(demo.map((r) => ({ code: r.code, names: [r.name] })));
const oref = parseRegionsGeoJson(readFileSync(join(SHARED, 'israel-oref-areas', 'oref_alert_areas.geojson'), 'utf8'), {}, 'oref').regions;
const orefSearch = new RegionSearch(oref.map((r) => ({ code: r.code, names: [r.name] })));
// The OSM oblast boundaries with every name:* tag, the names a multilingual region import would carry.
const osm = JSON.parse(readFileSync(join(SHARED, 'ukraine-oblasts', 'ukraine_oblasts_osm_raw.json'), 'utf8')) as { features: Array<{ properties: Record<string, string> }> };
const oblasts: SearchEntry[] = osm.features.map((f) => ({
  code: f.properties['ISO3166-2'],
  names: [f.properties.name, ...Object.entries(f.properties).filter(([k]) => k.startsWith('name:')).map(([, v]) => v)],
}));
const oblastSearch = new RegionSearch(oblasts);
const hromadas: SearchEntry[] = readFileSync(join(SHARED, 'ukraine-hromadas', 'hromada_geography.csv'), 'utf8').trim().split('\n').slice(1)
  .map((line) => line.split(',')).map((c) => ({ code: c[0], names: [`${c[3]} ${c[2]} громада (${c[5]})`] }));
const hromadaSearch = new RegionSearch(hromadas);

const names = (hits: ReturnType<RegionSearch['search']>) => hits.map((h) => h.entry.names[0]);

test('normalizeName: case, accents, Danish letters, Hebrew points and final letters, Arabic marks, apostrophes', () => {
  assert.equal(normalizeName('København Ø'), 'kobenhavn o');
  assert.equal(normalizeName('Brønshøj'), normalizeName('bronshoj'));
  assert.equal(normalizeName('Ærø'), 'aero');
  assert.equal(normalizeName('Ålborg'), 'alborg');
  // Jerusalem with niqqud and without: one word; the final mem folds to mem.
  assert.equal(normalizeName('יְרוּשָׁלַיִם'), normalizeName('ירושלים'));
  assert.equal(normalizeName('ירושלים'), 'ירושלימ');
  // Kherson with and without harakat, hamza on alef or not.
  assert.equal(normalizeName('خِيرْسُون أوبلاست'), normalizeName('خيرسون اوبلاست'));
  // Ukrainian apostrophe: U+02BC (official), U+2019, U+0027, or left out.
  const forms = ['Знамʼянка', 'Знам’янка', "Знам'янка", 'Знамянка', 'ЗНАМ`ЯНКА'].map(normalizeName);
  assert.deepEqual(new Set(forms), new Set(['знамянка']));
  // Hebrew geresh typed as ASCII or as U+05F3.
  assert.equal(normalizeName("ג'וליס"), normalizeName('ג׳וליס'));
  assert.equal(normalizeName('  Tel-Aviv  Yafo '), 'tel aviv yafo');
  assert.equal(normalizeName('—'), '');
});

test('Danish: "København V" as typed, partial words, without the ø, and the ranking', () => {
  // The reported defect: the operator types the district's name, not the suggestion text.
  assert.equal(names(demoSearch.search('København V'))[0], 'København V (demo district)');
  assert.equal(demoSearch.search('København V')[0].rank, MatchRank.Prefix);
  assert.deepEqual(names(demoSearch.search('kob v')), ['København V (demo district)']);
  assert.equal(demoSearch.search('kob v')[0].rank, MatchRank.WordPrefix);
  assert.deepEqual(names(demoSearch.search('v kob')), ['København V (demo district)'], 'word order does not matter');
  assert.equal(names(demoSearch.search('kobenhavn o'))[0], 'København Ø (demo district)');
  assert.equal(names(demoSearch.search('BRØNSHØJ'))[0], 'Brønshøj (demo district)');
  // "frederiksberg": both start with it; the shorter name first.
  assert.deepEqual(names(demoSearch.search('frederiksberg')), ['Frederiksberg (demo district)', 'Frederiksberg C (demo district)']);
  // Exact beats prefix: the whole name.
  const exact = demoSearch.search('Copenhagen (demo area)');
  assert.equal(exact[0].entry.code, 'demo-copenhagen');
  assert.equal(exact[0].rank, MatchRank.Exact);
  // The composer's own way of showing a region, name and code, is an exact match.
  assert.equal(demoSearch.search('Valby (demo district) (demo-copenhagen-valby)')[0].rank, MatchRank.Exact);
  assert.equal(demoSearch.search('Valby (demo district) (demo-copenhagen-valby)')[0].matched, 'Valby (demo district)');
  // The code finds the region too.
  assert.equal(demoSearch.search('demo-copenhagen-valby')[0].entry.names[0], 'Valby (demo district)');
  // Substring last: "havn" is inside København (not the start of a word) — every København district, nothing else.
  const inside = demoSearch.search('havn');
  assert.equal(inside.length, 7);
  assert.ok(inside.every((h) => h.rank === MatchRank.Substring && h.entry.names[0].startsWith('København')));
  // Prefix ranks above word prefix: "københavn s" starts "København S" and "København SV".
  const s = demoSearch.search('københavn s');
  assert.deepEqual(names(s).slice(0, 2), ['København S (demo district)', 'København SV (demo district)']);
  assert.deepEqual(demoSearch.search(''), []);
  assert.deepEqual(demoSearch.search('  !! '), []);
  assert.deepEqual(demoSearch.search('zzz'), []);
});

test('Hebrew: Home Front Command areas with and without niqqud, partial words, geresh', () => {
  assert.equal(oref.length, 1449);
  const jerusalem = names(orefSearch.search('יְרוּשָׁלַיִם'));
  assert.equal(jerusalem.length, 7);
  assert.ok(jerusalem.every((n) => n.startsWith('ירושלים - ')));
  // "ירושלים מרכז" (no dash) and a partial second word.
  assert.equal(names(orefSearch.search('ירושלים מרכ'))[0], 'ירושלים - מרכז');
  assert.equal(names(orefSearch.search('תל אביב עבר'))[0], 'תל אביב - עבר הירקון');
  assert.equal(names(orefSearch.search('ג׳וליס'))[0], "ג'וליס");
  assert.equal(names(orefSearch.search('גוליס'))[0], "ג'וליס");
});

test('Ukrainian oblasts: in Ukrainian, English, Arabic, Russian, German; codes', () => {
  assert.equal(oblasts.length, 27);
  const kherson = 'Херсонська область';
  assert.equal(names(oblastSearch.search('херсонська'))[0], kherson);
  assert.equal(names(oblastSearch.search('Kherson'))[0], kherson);
  // The name that matched is reported (shown next to the display name when it differs); the shortest prefix match.
  assert.equal(oblastSearch.search('Kherson')[0].matched, 'Kherson (tỉnh)');
  assert.equal(oblastSearch.search('Kherson')[0].rank, MatchRank.Prefix);
  assert.equal(names(oblastSearch.search('خيرسون'))[0], kherson);
  assert.equal(names(oblastSearch.search('خِيرْسُون'))[0], kherson, 'Arabic with harakat');
  assert.equal(names(oblastSearch.search('Херсонская'))[0], kherson);
  assert.equal(names(oblastSearch.search('oblast cherson'))[0], kherson, 'German word order');
  assert.equal(names(oblastSearch.search('ua-65'))[0], kherson);
  assert.equal(oblastSearch.search('UA-65')[0].rank, MatchRank.Exact);
  // Ivano-Frankivsk: hyphen typed as a space, or not at all.
  const ivano = names(oblastSearch.search('івано франк'))[0];
  assert.match(ivano, /^Івано-Франківська/);
  assert.equal(names(oblastSearch.search('Ivano-Frankivsk'))[0], ivano);
});

test('Ukrainian hromadas: the apostrophe typed as ʼ, ’, \' or left out finds the same hromadas', () => {
  assert.equal(hromadas.length, 1469);
  for (const q of ['Знамʼянська', 'Знам’янська', "Знам'янська", 'знамянська']) {
    const hits = hromadaSearch.search(q);
    assert.deepEqual(hits.map((h) => h.entry.code).sort(), ['UA35040130000021732', 'UA51020070000019684'], q);
  }
  // Partial words in any order, with the oblast.
  assert.deepEqual(hromadaSearch.search('знам одес').map((h) => h.entry.code), ['UA51020070000019684']);
  // The limit holds and the best come first.
  const many = hromadaSearch.search('с', 5);
  assert.equal(many.length, 5);
  assert.ok(many.every((h, i) => i === 0 || many[i - 1].rank <= h.rank));
});
