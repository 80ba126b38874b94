// The address search's folding and matching (web/src/lib/text-fold.ts): accents, case, partial words, house numbers,
// Hebrew, Ukrainian and Arabic.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fold, words, PlaceMatcher, entriesOf, pointFor, type PlaceEntry } from '../../web/src/lib/text-fold.ts';

const street = (label: string, detail: string | null = null, points: Array<[number, number]> = [[12.55, 55.69]]): PlaceEntry => ({ kind: 'street', label, detail, points, id: null });
const shelter = (label: string, detail: string | null, at: [number, number] = [12.55, 55.69], id = label): PlaceEntry => ({ kind: 'shelter', label, detail, points: [at], id });
const labels = (m: PlaceMatcher, q: string, near?: [number, number]) => m.search(q, { near }).map((r) => r.entry.label);

test('folding: case, marks, special letters, apostrophes, punctuation', () => {
  assert.equal(fold('Nørrebrogade'), 'norrebrogade');
  assert.equal(fold('ÅBOULEVARD'), 'aboulevard');
  assert.equal(fold('Sankt Peders Stræde'), 'sankt peders straede');
  assert.equal(fold('Café Østergårds-Allé 3,  2100 København Ø'), 'cafe ostergards alle 3 2100 kobenhavn o');
  assert.equal(fold('שְׁמוּאֵל הַנָּבִיא'), 'שמואל הנביא', 'Hebrew points');
  assert.equal(fold('вулиця Мар’янівська'), 'вулиця марянівська', 'the Ukrainian apostrophe');
  assert.equal(fold('Ґанок Київ'), 'ганок киів', 'ґ and ї fold; й keeps its base');
  assert.equal(fold('شَارِع الأمير'), 'شارع الامير', 'Arabic marks and alef forms');
  assert.deepEqual(words('  Straße-Nr.12b '), ['strasse', 'nr', '12b']);
  assert.deepEqual(words(' ,. '), []);
});

test('a partial word finds the street, with or without the ø', () => {
  const m = new PlaceMatcher([street('Nørrebrogade', 'Nørrebro'), street('Nørre Voldgade'), street('Amagerbrogade'), shelter('Skole', 'Jagtvej 12')]);
  assert.deepEqual(labels(m, 'nørre'), ['Nørrebrogade', 'Nørre Voldgade'], 'a word being typed: its start counts as the whole word (shorter first)');
  assert.deepEqual(labels(m, 'nørre v'), ['Nørre Voldgade'], 'a finished word before the next');
  assert.deepEqual(labels(m, 'nørre brogade'), ['Nørrebrogade'], 'every word must match somewhere');
  assert.deepEqual(labels(m, 'Norrebro'), ['Nørrebrogade']);
  assert.deepEqual(labels(m, 'NØRREBROGADE'), ['Nørrebrogade']);
  assert.deepEqual(labels(m, 'brogade'), ['Nørrebrogade', 'Amagerbrogade'], 'inside a word from three letters (shorter first)');
  assert.deepEqual(labels(m, 'br'), [], 'two letters only match word starts');
  assert.deepEqual(labels(m, 'xyz'), []);
  assert.deepEqual(labels(m, ''), []);
});

test('house numbers: the address with that number first; other numbers do not match; a street stays, number set aside', () => {
  const m = new PlaceMatcher([
    shelter('Damagervej 3A, 2450 København SV', null, [12.53, 55.65], 'a'),
    shelter('Damagervej 31, 2450 København SV', null, [12.53, 55.65], 'b'),
    shelter('Damagervej 5, 2450 København SV', null, [12.53, 55.65], 'c'),
    street('Damagervej'),
  ]);
  const r = m.search('damagervej 3a');
  assert.equal(r[0].entry.id, 'a');
  assert.deepEqual(r.map((x) => x.entry.id ?? x.entry.label), ['a', 'Damagervej'], '31 and 5 are other houses');
  assert.equal(r[1].numberIgnored, true);
  assert.deepEqual(m.search('damagervej 3').map((x) => x.entry.id ?? x.entry.label), ['a', 'Damagervej'], '3 is the start of 3A, not of 31');
  assert.deepEqual(m.search('damagervej 31').map((x) => x.entry.id ?? x.entry.label), ['b', 'Damagervej']);
  assert.deepEqual(m.search('2450').map((x) => x.entry.id), ['c', 'b', 'a'], 'a postcode is a number of the address (shorter first, then in order)');
  // The address is searched as well as the name.
  const n = new PlaceMatcher([shelter('Skole', 'Jagtvej 12, 2200 København N')]);
  assert.equal(n.search('jagtvej 12')[0].entry.label, 'Skole');
  assert.equal(n.search('jagtvej 13').length, 0);
});

test('Hebrew and Ukrainian names match as typed', () => {
  const m = new PlaceMatcher([street('רחוב יפו', 'ירושלים'), street('שמואל הנביא'), street('вулиця Хрещатик', 'Київ'), street('Мар’янівська')]);
  assert.deepEqual(labels(m, 'יפו'), ['רחוב יפו']);
  assert.deepEqual(labels(m, 'שְׁמוּאֵל'), ['שמואל הנביא'], 'pointed text finds unpointed');
  assert.deepEqual(labels(m, 'хрещ'), ['вулиця Хрещатик']);
  assert.deepEqual(labels(m, 'ХРЕЩАТИК київ'), ['вулиця Хрещатик'], 'the area helps');
  assert.deepEqual(labels(m, "мар'ян"), ['Мар’янівська'], 'whichever apostrophe');
});

test('ranking: the name before the area, then the nearest of equals', () => {
  const m = new PlaceMatcher([
    street('Kirkevej', 'Valby', [[12.50, 55.66]]),
    street('Kirkevej', 'Dragør', [[12.67, 55.59]]),
    street('Valby Langgade', null),
  ]);
  assert.deepEqual(m.search('valby').map((r) => r.entry.label), ['Valby Langgade', 'Kirkevej']);
  assert.deepEqual(m.search('kirkevej', { near: [12.66, 55.59] }).map((r) => r.entry.detail), ['Dragør', 'Valby']);
  assert.deepEqual(m.search('kirkevej', { near: [12.51, 55.66] }).map((r) => r.entry.detail), ['Valby', 'Dragør']);
  assert.equal(m.search('kirkevej', { limit: 1 }).length, 1);
});

test('the index document becomes entries; a long street is searched from its point nearest the view', () => {
  const entries = entriesOf({
    version: 1,
    shelters: [['id-1', 'Skole', 'Jagtvej 12', 12.55, 55.69]],
    streets: [['Nørrebrogade', 'Nørrebro', [12.55, 55.69, 12.54, 55.70, 12.56, 55.68]]],
    regions: [['DK-IB', 'Indre By', 12.58, 55.68]],
  });
  assert.deepEqual(entries.map((e) => [e.kind, e.label, e.points.length]), [['shelter', 'Skole', 1], ['street', 'Nørrebrogade', 3], ['region', 'Indre By', 1]]);
  const nb = entries[1];
  assert.deepEqual(pointFor(nb, null), [12.55, 55.69]);
  assert.deepEqual(pointFor(nb, [12.541, 55.701]), [12.54, 55.70], 'the view is on the north end');
  assert.deepEqual(pointFor(nb, [12.0, 55.0]), [12.55, 55.69], 'far away: the middle');
});
