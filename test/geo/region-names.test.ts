// Regions' names in other languages (issue 14): which properties count as a language's name, on real sources.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SHARED } from '../helpers.ts';
import { parseRegionsGeoJson } from '../../src/geo/index.ts';
import { alternativeNames } from '../../src/geo/regions.ts';
import { regionsOutside, normalizeJurisdiction, parseJurisdictionList } from '../../src/accounts/index.ts';

const OSM = readFileSync(join(SHARED, 'ukraine-oblasts', 'ukraine_oblasts_osm_raw.json'), 'utf8');
const SIMPLIFIED = readFileSync(join(SHARED, 'ukraine-oblasts', 'ua_oblasts_simplified.geojson'), 'utf8');

test('alternativeNames: name:xx and name_xx (any case) with a language tag; other name-like keys are not languages', () => {
  assert.deepEqual(alternativeNames({
    name: 'Львів', 'name:en': 'Lviv', NAME_DE: 'Lemberg', 'name:be-tarask': 'Львоў', 'name:etymology:wikidata': 'Q1', name_local: 'x', NAME_1: 'y',
    'name:prefix': 'місто', 'old_name:pl': 'Lwów', 'name:fr': '  ', 'name:it': 7,
  }), { 'be-tarask': 'Львоў', de: 'Lemberg', en: 'Lviv' });
  // Both spellings for one language: the OSM tag wins, whichever comes first.
  assert.deepEqual(alternativeNames({ name_uk: 'Київ (file)', 'name:uk': 'Київ' }), { uk: 'Київ' });
  assert.deepEqual(alternativeNames({ 'name:uk': 'Київ', name_uk: 'Київ (file)' }), { uk: 'Київ' });
  assert.equal(alternativeNames({ name: 'Only' }), null);
});

test('the OSM oblasts keep every name:xx tag as a name; the simplified file its name_uk and name_en', () => {
  const osm = parseRegionsGeoJson(OSM, {}, 'osm').regions;
  const raw = JSON.parse(OSM) as { features: Array<{ properties: Record<string, string> }> };
  for (const [i, r] of osm.entries()) {
    // Every name:<language> tag in the file (zh-Hans as zh-hans); none left out.
    const tags = Object.keys(raw.features[i].properties).filter((k) => /^name:[a-z]{2,3}(-[a-z0-9]+)*$/i.test(k) && raw.features[i].properties[k].trim());
    assert.deepEqual(Object.keys(r.names ?? {}), tags.map((k) => k.slice(5).toLowerCase()).sort(), r.code);
  }
  const kherson = osm.find((r) => r.code === 'UA-65')!;
  assert.equal(kherson.names!.uk, 'Херсонська область');
  assert.equal(kherson.names!.ar, 'خيرسون أوبلاست');
  const simple = parseRegionsGeoJson(SIMPLIFIED, {}, 'ua').regions;
  assert.deepEqual(simple.find((r) => r.code === 'UA-46')!.names, { en: 'Lviv Oblast', uk: 'Львівська область' });
});

test('jurisdiction lists: normalized (trimmed, unique, sorted) or refused with a reason; typed lists split on commas and spaces', () => {
  assert.deepEqual(normalizeJurisdiction([' UA-46', 'UA-07', 'UA-46']), ['UA-07', 'UA-46']);
  assert.deepEqual(normalizeJurisdiction([]), []);
  assert.match(normalizeJurisdiction('UA-46') as string, /list/);
  assert.match(normalizeJurisdiction(['UA-46', '']) as string, /item 1/);
  assert.match(normalizeJurisdiction(['x'.repeat(201)]) as string, /longer/);
  assert.match(normalizeJurisdiction(Array.from({ length: 2001 }, (_, i) => `c${i}`)) as string, /at most 2000/);
  assert.deepEqual(parseJurisdictionList('UA-46, UA-07 UA-30,,'), ['UA-46', 'UA-07', 'UA-30']);
});

test('regionsOutside: a region is inside when it or an ancestor is in the jurisdiction; none means no restriction', () => {
  const parent = new Map<string, string | null>([['UA-46', null], ['lviv-raion', 'UA-46'], ['lviv-hromada', 'lviv-raion'], ['UA-30', null], ['loop-a', 'loop-b'], ['loop-b', 'loop-a']]);
  const parentOf = (c: string) => parent.get(c) ?? null;
  assert.deepEqual(regionsOutside(['UA-46'], ['lviv-hromada', 'UA-46', 'UA-30', 'unknown'], parentOf), ['UA-30', 'unknown']);
  assert.deepEqual(regionsOutside(['lviv-raion'], ['UA-46', 'lviv-hromada'], parentOf), ['UA-46'], 'a parent is not inside its child');
  assert.deepEqual(regionsOutside([], ['UA-30'], parentOf), []);
  assert.deepEqual(regionsOutside(['UA-30'], ['loop-a'], parentOf), ['loop-a'], 'a parent cycle ends');
});
