// Every language has every string, none empty, with the same {placeholders} as English; Hebrew and Arabic are right-to-left.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import en from '../../web/src/i18n/en.ts';
import uk from '../../web/src/i18n/uk.ts';
import he from '../../web/src/i18n/he.ts';
import da from '../../web/src/i18n/da.ts';
import ar from '../../web/src/i18n/ar.ts';
import ru from '../../web/src/i18n/ru.ts';
import { LANGUAGES } from '../../web/src/i18n/index.ts';

const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

for (const [code, dict] of Object.entries({ uk, he, da, ar, ru })) {
  test(`${code}: every English key is translated with the same placeholders`, () => {
    assert.deepEqual(Object.keys(dict).sort(), Object.keys(en).sort());
    for (const [key, text] of Object.entries(en)) {
      const other = (dict as Record<string, string>)[key];
      assert.ok(other.trim().length > 0, `${code} ${key} is empty`);
      assert.deepEqual(placeholders(other), placeholders(text), `${code} ${key} placeholders`);
    }
  });
}

test('translations are not left in English (apart from names and codes)', () => {
  const same = (dict: Record<string, string>) => Object.keys(en).filter((k) => dict[k] === (en as Record<string, string>)[k]);
  const allowed = new Set(['app.name', 'con.nav.import', 'find.meters', 'con.downloadCap', 'con.id', 'legend.title', 'card.status', 'con.statusFilter', 'con.version', 'hist.minutes',
    // Brand names of navigation apps, written as they are in every language.
    'sc.navigate.waze', 'sc.navigate.google', 'sc.navigate.apple']);
  for (const [code, dict] of Object.entries({ uk, he, da, ar, ru })) {
    const left = same(dict).filter((k) => !allowed.has(k));
    assert.deepEqual(left, [], `${code} still English: ${left.join(', ')}`);
  }
});

test('the picker offers every language; Hebrew and Arabic are right-to-left', () => {
  assert.deepEqual(Object.keys(LANGUAGES).sort(), ['ar', 'da', 'en', 'he', 'ru', 'uk']);
  assert.deepEqual(Object.entries(LANGUAGES).filter(([, l]) => l.dir === 'rtl').map(([c]) => c).sort(), ['ar', 'he']);
});
