// The address search with house numbers (web/src/lib/text-fold.ts): "street number" either way round, lettered houses,
// ranges, a number still being typed, postcodes, other names of a street, and a street that lacks the number asked for.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PlaceMatcher, searchWords, type House, type PlaceEntry } from '../../web/src/lib/text-fold.ts';

const house = (number: string, lon: number, area: string | null = '1620 København V'): House => ({ number, at: [lon, 55.67], area });
const street = (label: string, houses: House[] | undefined, extra: Partial<PlaceEntry> = {}): PlaceEntry => ({ kind: 'street', label, detail: null, points: [[12.55, 55.67]], id: null, houses, ...extra });
const found = (m: PlaceMatcher, q: string) => m.search(q, { limit: 12 }).map((r) => `${r.entry.label}${r.numberIgnored ? ' ?' : ''}`);

const m = new PlaceMatcher([
  street('Vesterbrogade', [house('1', 12.567), house('1A', 12.5671), house('2', 12.566), house('10', 12.5608), house('12', 12.5601), house('12-14', 12.5603), house('12B', 12.5602), house('120', 12.5438), house('7', 12.565, '1850 Frederiksberg C')]),
  street('Istedgade', [house('6', 12.5628, '1650 København V'), house('20 B', 12.56, '1650 København V')]),
  street('Lille Istedgade', undefined),
  street('Erottajankatu', [house('2', 24.944, '00130 Helsinki')], { alt: ['Skillnadsgatan'], detail: 'Helsinki' }),
  { kind: 'shelter', label: 'Vesterbrogade 12, 1620 København V', detail: null, points: [[12.5601, 55.67]], id: 's1' },
]);

test('"vesterbrogade 12" and "12 vesterbrogade": the shelter at the house, the house, then 12B and the range', () => {
  const want = ['Vesterbrogade 12, 1620 København V', 'Vesterbrogade 12', 'Vesterbrogade 12-14', 'Vesterbrogade 12B'];
  assert.deepEqual(found(m, 'vesterbrogade 12 ').slice(0, 4), want);
  assert.deepEqual(found(m, '12 Vesterbrogade'), want);
  assert.deepEqual(found(m, 'VESTERBROGADE 12b'), ['Vesterbrogade 12B']);
  assert.deepEqual(found(m, 'vesterbrogade 12 b'), ['Vesterbrogade 12B'], 'a letter typed apart');
  assert.deepEqual(found(m, 'vesterbrogade 13'), ['Vesterbrogade 12-14'], 'inside a range');
  const r = m.search('vesterbrogade 12')[1];
  assert.deepEqual([r.entry.kind, r.entry.detail, r.entry.points], ['address', '1620 København V', [[12.5601, 55.67]]]);
});

test('a number still being typed offers its continuations after the exact house; a finished one does not', () => {
  // At most six houses of one street, so other streets still show.
  assert.deepEqual(found(m, 'vesterbrogade 1'), ['Vesterbrogade 1', 'Vesterbrogade 1A', 'Vesterbrogade 10', 'Vesterbrogade 12', 'Vesterbrogade 12B', 'Vesterbrogade 12-14']);
  assert.deepEqual(found(m, 'vesterbrogade 1 '), ['Vesterbrogade 1', 'Vesterbrogade 1A']);
  assert.deepEqual(found(m, '1 vesterbrogade'), ['Vesterbrogade 1', 'Vesterbrogade 1A']);
  assert.deepEqual(found(m, 'vesterbrogade 12')[0], 'Vesterbrogade 12, 1620 København V');
});

test('a postcode or city in the query must be the house\'s', () => {
  assert.deepEqual(found(m, 'vesterbrogade 7 frederiksberg'), ['Vesterbrogade 7']);
  assert.deepEqual(found(m, 'vesterbrogade 7 1850'), ['Vesterbrogade 7']);
  assert.deepEqual(found(m, 'vesterbrogade 1 1850'), ['Vesterbrogade ?'], 'house 1 is in 1620: the street, the number set aside');
  assert.deepEqual(found(m, 'istedgade 20b 1650'), ['Istedgade 20 B', 'Lille Istedgade ?']);
});

test('a street without the number: the street, marked; a street without any numbers: the street, marked', () => {
  const r = m.search('istedgade 99');
  assert.deepEqual(r.map((x) => [x.entry.label, x.numberIgnored, Boolean(x.entry.houses?.length)]), [['Istedgade', true, true], ['Lille Istedgade', true, false]]);
  assert.deepEqual(found(m, 'istedgade'), ['Istedgade', 'Lille Istedgade'], 'no number: the streets, not their houses');
  assert.deepEqual(found(m, '12'), ['Vesterbrogade 12, 1620 København V'], 'a number alone is not a house on every street');
});

test('another name of a street finds it and its houses, shown with the name itself', () => {
  const r = m.search('skillnadsgatan 2');
  assert.deepEqual(r.map((x) => [x.entry.label, x.entry.detail]), [['Skillnadsgatan 2', '00130 Helsinki']]);
  const s = m.search('skillnads');
  assert.deepEqual(s.map((x) => [x.entry.label, x.entry.detail]), [['Skillnadsgatan', 'Erottajankatu, Helsinki']]);
  assert.deepEqual(found(m, 'erottajankatu'), ['Erottajankatu'], 'once, not once per name');
  assert.equal(m.size, 5);
});

test('search words: a number and a letter typed apart are one house number', () => {
  assert.deepEqual(searchWords('Istedgade 20 B, 1650 København V'), ['istedgade', '20b', '1650', 'kobenhavn', 'v']);
  assert.deepEqual(searchWords('Vej 3 st. tv'), ['vej', '3', 'st', 'tv']);
});

test('a region by a name in another language, shown with its own name', () => {
  const r = new PlaceMatcher([{ kind: 'region', label: 'ירושלים', detail: null, points: [[35.2, 31.8]], id: 'IL-JM', alt: ['Jerusalem', 'القدس'] }]);
  assert.deepEqual(r.search('jerus').map((x) => [x.entry.label, x.entry.detail, x.entry.id]), [['Jerusalem', 'ירושלים', 'IL-JM']]);
  assert.deepEqual(r.search('القدس').map((x) => x.entry.id), ['IL-JM']);
});
