// Issue 14's staff journeys that were still checked in English only or on a desk only (docs/e2e-coverage.md), on a
// 390 x 844 phone in English, Hebrew and Arabic: the alert log's CSV export (the file's bytes: BOM, headings in the
// console's language, states, people, delivery figures, quoting, formula injection), the reports queue's Dismiss,
// buttons by role, the composer's parent regions and drawn areas, and the fresh sign-in before an Actual approval.
// Every screen: the texts as the dictionaries say them, dir=rtl, on the screen, no sideways overflow, axe-core.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { Accounts } from '../../src/accounts/index.ts';
import { parseRegionsGeoJson } from '../../src/geo/index.ts';
import { reloadRegions } from '../../src/server/capabilities/regions.ts';
import { skipWithoutChromium, startApp, seedRegions, launchBrowser, chromiumAvailable, signIn, noSeriousViolations, PASSWORDS, ROOT, type App, type Browser } from './harness.ts';
import enDict from '../../web/src/i18n/en.ts';
import heDict from '../../web/src/i18n/he.ts';
import arDict from '../../web/src/i18n/ar.ts';
import type { MessageKey } from '../../web/src/i18n/en.ts';

const PHONE = { width: 390, height: 844 };
type Lang = 'en' | 'he' | 'ar';
const LANGS: Lang[] = ['en', 'he', 'ar'];
const DICTS: Record<Lang, Record<MessageKey, string>> = { en: enDict, he: heDict, ar: arDict };
const SCRIPT: Record<Lang, RegExp> = { en: /[A-Za-z]/, he: /[\u0590-\u05FF]/, ar: /[\u0600-\u06FF]/ };

/** What the console's t() says in `lang` (numbers as Intl formats them in that language, as t() does). */
function tr(lang: Lang, key: MessageKey, params: Record<string, string | number> = {}): string {
  const text = DICTS[lang][key];
  assert.ok(text, `${lang} has ${key}`);
  return text.replace(/\{(\w+)\}/g, (_, name: string) => {
    const v = params[name];
    return v === undefined ? `{${name}}` : typeof v === 'number' ? new Intl.NumberFormat(lang).format(v) : v;
  });
}

const DEMO = parseRegionsGeoJson(readFileSync(join(ROOT, 'data', 'demo', 'demo-regions.geojson'), 'utf8'), {}, 'demo').regions;
const CPH = 'demo-copenhagen';
const VALBY = 'demo-copenhagen-valby';
const box = (lon: number, lat: number) => ({ type: 'Polygon', coordinates: [[[lon, lat], [lon + 0.05, lat], [lon + 0.05, lat + 0.05], [lon, lat + 0.05], [lon, lat]]] });
/**
 * Regions whose names a spreadsheet would take for formulas, or that need quoting (a region file comes from outside:
 * its names reach the CSV's regions column). Far from Copenhagen, so no drawn area touches them.
 */
const TRICKY = [
  { code: 'X-EQ', name: '=HYPERLINK("https://example.org/x","click")' },
  { code: 'X-PLUS', name: '+1+cmd|\' /C calc\'!A0' },
  { code: 'X-MINUS', name: '-2+3' },
  { code: 'X-AT', name: '@SUM(1+1)*cmd|\' /C calc\'!A0' },
  { code: 'X-NL', name: 'Line one\nline two, "quoted"' },
];
const TRICKY_GEOJSON = { type: 'FeatureCollection', features: TRICKY.map((r, i) => ({ type: 'Feature', properties: { name: r.name, code: r.code, warning_time_s: 90 }, geometry: box(10 + i * 0.1, 50) })) };

let app: App;
let phone: Browser;
let shelterId = '';
/** The server's clock runs this far ahead of the real one (moved for the fresh sign-in; only ever forward). */
const clock = { aheadMs: 0 };

before(async () => {
  if (!chromiumAvailable()) return;
  app = await startApp(async (server) => {
    shelterId = (await server.ctx.registry.create({ name: 'Reported bunker', lat: 55.6765, lon: 12.5683, capacity: 30 }, 'e2e')).id;
    await server.ctx.registry.setStatus(shelterId, 'open', 'e2e');
    await seedRegions(server);
    await reloadRegions(server.ctx, 'demo', DEMO);
    await reloadRegions(server.ctx, 'e2e-tricky', parseRegionsGeoJson(JSON.stringify(TRICKY_GEOJSON), {}, 'e2e-tricky').regions);
  }, { shelters: false });
  // The accounts with a clock that can be moved ahead (sessions are read from the same store).
  app.server.ctx.accounts = new Accounts(app.server.ctx.store.accounts, () => new Date(Date.now() + clock.aheadMs));
  phone = await launchBrowser({ viewport: PHONE });
});

after(async () => {
  await phone?.close();
  await app?.close();
});

async function api(who: 'olga' | 'avi', method: string, path: string, body?: unknown): Promise<Record<string, any>> {
  const token = await app.server.ctx.accounts.createApiToken(who);
  const res = await fetch(app.url + path, { method, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
  assert.ok(res.ok, `${method} ${path}: ${res.status} ${await res.clone().text()}`);
  return res.json() as Promise<Record<string, any>>;
}

const exercise = (headline: string, regions = ['DK-IB']) => ({
  status: 'Exercise', event: 'missile', headline, instruction: 'Go to the nearest shelter now.', regions, expires: new Date(Date.now() + 3_600_000).toISOString(),
});

/** Signs in on a console page whose language is `lang` (kept by the console across the sign-in). */
async function signInIn(page: Page, lang: Lang, who: 'olga' | 'avi' | 'wendy'): Promise<void> {
  await page.goto(`${app.url}/console.html?lang=${lang}`);
  await page.waitForFunction((l) => document.documentElement.lang === l, lang);
  await signIn(page, app.url, who);
  assert.equal(await page.getAttribute('html', 'lang'), lang);
  assert.equal(await page.getAttribute('html', 'dir'), lang === 'en' ? 'ltr' : 'rtl');
}

/** Nothing sticks out sideways (a right-to-left page that overflows scrolls to the left). */
async function fitsWidth(page: Page, where: string): Promise<void> {
  const { scroll, client } = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, client: document.documentElement.clientWidth }));
  assert.ok(scroll <= client, `${where}: the page is ${scroll} px wide on a ${client} px screen`);
}

/** The element, scrolled to as a person would, lies wholly within the phone's screen. */
async function onScreen(page: Page, selector: string, where: string): Promise<void> {
  const el = page.locator(selector).first();
  await el.scrollIntoViewIfNeeded();
  const b = await el.boundingBox();
  assert.ok(b, `${where}: ${selector} is shown`);
  assert.ok(b.x >= 0 && b.x + b.width <= PHONE.width + 0.5 && b.y >= 0 && b.y + b.height <= PHONE.height + 0.5, `${where}: ${selector} is on the screen (${JSON.stringify(b)})`);
}

/** A strict RFC 4180 reader: quoted cells may hold commas, CRLF and doubled quotes; rows end in CRLF; nothing else. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let state: 'start' | 'plain' | 'quoted' | 'closed' = 'start';
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (state === 'quoted') {
      if (c !== '"') cell += c;
      else if (text[i + 1] === '"') { cell += '"'; i++; } else state = 'closed';
    } else if (c === ',') { row.push(cell); cell = ''; state = 'start'; } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(cell); rows.push(row); row = []; cell = ''; state = 'start'; i++;
    } else {
      assert.ok(state !== 'closed', `a character after a closing quote at ${i}`);
      if (c === '"' && state === 'start') { state = 'quoted'; continue; }
      assert.ok(c !== '"' && c !== '\r' && c !== '\n', `an unquoted ${JSON.stringify(c)} at ${i}`);
      cell += c;
      state = 'plain';
    }
  }
  assert.equal(state, 'start', 'the file ends with CRLF');
  assert.equal(row.length, 0);
  return rows;
}

/** What a spreadsheet would start as a formula; the export must defuse every such cell. */
const FORMULA_START = /^[=+\-@\t\r]/;

for (const lang of LANGS) {
  test(`${lang} phone: the alert log exports a CSV a spreadsheet opens right: BOM, headings in ${lang}, states, people, delivery figures, quoting, no formulas`, async (t) => {
    if (skipWithoutChromium(t)) return;
    const token = `csv${lang}${Date.now()}`;
    // Issued, with a headline that needs quoting; one false alarm; a draft waiting; one per tricky region name.
    const issued = await api('olga', 'POST', '/api/alerts', exercise(`${token} drill, "quoted", and more`));
    await api('avi', 'POST', `/api/alerts/${issued.id}/approve`, {});
    const wrong = await api('olga', 'POST', '/api/alerts', exercise(`${token} mistake`));
    await api('avi', 'POST', `/api/alerts/${wrong.id}/approve`, {});
    await api('avi', 'POST', `/api/alerts/${wrong.id}/cancel`, { falseAlarm: true });
    const waiting = await api('olga', 'POST', '/api/alerts', exercise(`${token} waiting`));
    const tricky: Record<string, string> = {};
    for (const r of TRICKY) {
      const a = await api('olga', 'POST', '/api/alerts', exercise(`${token} ${r.code}`, [r.code]));
      await api('avi', 'POST', `/api/alerts/${a.id}/approve`, {});
      tricky[a.id] = r.name;
    }

    const page = await phone.context.newPage();
    t.after(() => page.close());
    await signInIn(page, lang, 'olga');
    await page.goto(`${app.url}/console.html#/alert-log`);
    await page.waitForSelector(`.alert-log tr[data-alert="${waiting.id}"]`);
    await page.fill('#alog-q', token);
    // Ours, and the false-alarm Cancel that went out (its headline names the alert).
    const expected = 3 + TRICKY.length + 1;
    await page.waitForFunction((n) => document.querySelectorAll('.alert-log tbody tr').length === n, expected);
    assert.equal((await page.textContent('.alert-log a.export'))?.trim(), tr(lang, 'alog.export'));
    await onScreen(page, '.alert-log a.export', `${lang} alert log`);
    await fitsWidth(page, `${lang} alert log`);
    await noSeriousViolations(page, `${lang} alert log, searched`);
    // What the screen says of each row: its state in the console's language.
    const shownState = Object.fromEntries(await page.$$eval('.alert-log tbody tr', (trs) => trs.map((r) => [r.getAttribute('data-alert')!, r.querySelector('.life')?.textContent ?? ''])));

    const [download] = await Promise.all([page.waitForEvent('download'), page.click('.alert-log a.export')]);
    assert.equal(download.suggestedFilename(), 'refuge-alerts.csv');
    const bytes = readFileSync((await download.path())!);
    // The UTF-8 byte-order mark: without it Excel reads the file in the Windows code page (Hebrew and Arabic garbled).
    assert.deepEqual([...bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf], 'UTF-8 with a byte-order mark');
    const text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
    const [head, ...rows] = parseCsv(text);

    // The headings: in the console's language, as the log's own columns are; every one different.
    assert.deepEqual(head, [tr(lang, 'con.id'), `${tr(lang, 'con.when')} (UTC)`, tr(lang, 'alog.csv.status'), tr(lang, 'alog.csv.msgType'), tr(lang, 'con.state'),
      tr(lang, 'con.headline'), tr(lang, 'con.regions'), tr(lang, 'alog.drafted'), tr(lang, 'alog.approvedCol'),
      tr(lang, 'con.dl.stream'), tr(lang, 'con.dl.pushTargeted'), tr(lang, 'con.dl.push'), tr(lang, 'con.dl.failed')]);
    assert.equal(new Set(head).size, head.length, `distinct headings: ${head.join(' | ')}`);
    for (const h of head) assert.match(h, SCRIPT[lang], `heading "${h}" is in ${lang}`);
    assert.equal(rows.length, expected, 'the rows shown, no more');
    for (const r of rows) assert.equal(r.length, head.length, `a full row: ${JSON.stringify(r)}`);
    const byId = new Map(rows.map((r) => [r[0], r]));
    const col = (id: string, heading: MessageKey) => byId.get(id)![head.indexOf(tr(lang, heading))];

    for (const [id, life] of [[issued.id, 'issued'], [wrong.id, 'false-alarm'], [waiting.id, 'draft']] as const) {
      assert.ok(byId.has(id), `${id} is in the file`);
      // The state as the screen says it, and as the dictionary does.
      assert.equal(col(id, 'con.state'), tr(lang, `alog.state.${life}` as MessageKey));
      assert.equal(col(id, 'con.state'), shownState[id]);
      assert.equal(col(id, 'alog.drafted'), 'olga');
      assert.equal(col(id, 'alog.approvedCol'), life === 'draft' ? '' : 'avi');
    }
    // Quoting: the headline with commas and quotes comes back whole.
    assert.equal(col(issued.id, 'con.headline'), `EXERCISE - ${token} drill, "quoted", and more`);
    assert.equal(byId.get(issued.id)![2], 'Exercise');
    assert.equal(byId.get(issued.id)![3], 'Alert');
    const record = await api('olga', 'GET', `/api/alerts/${issued.id}`);
    assert.equal(byId.get(issued.id)![1], record.issuedAt, 'the time as ISO 8601 UTC');

    // The delivery figures of what went out are the server's; a draft has none.
    for (const id of [issued.id, wrong.id, ...Object.keys(tricky)]) {
      const d = await api('olga', 'GET', `/api/alerts/${id}/delivery`);
      const figures = [d.stream.reached, d.push.targeted, d.push.accepted, d.push.failed + d.push.expired].map(String);
      assert.deepEqual(byId.get(id)!.slice(9), figures, `delivery figures of ${id}`);
    }
    assert.deepEqual(byId.get(waiting.id)!.slice(9), ['', '', '', '']);

    // Formula injection: every cell a spreadsheet would run is defused with an apostrophe; the text is otherwise kept.
    for (const [id, name] of Object.entries(tricky)) {
      const cell = col(id, 'con.regions');
      assert.equal(cell, FORMULA_START.test(name) ? `'${name}` : name, `the region cell of ${name}`);
    }
    for (const r of rows) for (const c of r) assert.doesNotMatch(c, FORMULA_START, `no cell starts a formula: ${JSON.stringify(c)}`);
    // The region name with a line break stays one cell, as the parser above proved by the row's length.
    assert.ok(rows.some((r) => r[6] === 'Line one\nline two, "quoted"'));
  });
}

for (const lang of LANGS) {
  test(`${lang} phone: an operator dismisses a resident's report from the queue; the shelter keeps its status, told so in ${lang}`, async (t) => {
    if (skipWithoutChromium(t)) return;
    const reg = app.server.ctx.registry;
    const note = `${lang} chain on the door`;
    const filed = await fetch(`${app.url}/api/reports`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ shelterId, kind: 'locked', note }) });
    assert.equal(filed.status, 201, await filed.clone().text());
    const { report } = await filed.json() as { report: { id: string } };
    const page = await phone.context.newPage();
    t.after(() => page.close());
    await signInIn(page, lang, 'olga');
    await page.goto(`${app.url}/console.html#/reports`);
    const row = page.locator(`tr[data-report="${report.id}"]`);
    await row.waitFor();
    assert.equal((await page.textContent('#main h2'))?.trim(), tr(lang, 'con.reports'));
    assert.match((await row.textContent()) ?? '', new RegExp(note));
    assert.equal((await row.locator('td').first().textContent())?.trim(), tr(lang, 'report.locked' as MessageKey));
    const heads = (await page.locator('#main table th').allTextContents()).map((x) => x.trim()).filter(Boolean);
    assert.deepEqual(heads, [tr(lang, 'con.reportKind'), tr(lang, 'con.when'), tr(lang, 'con.reportNote')]);
    const dismiss = row.locator('button:not(.primary)');
    assert.equal((await dismiss.textContent())?.trim(), tr(lang, 'con.dismiss'));
    assert.equal((await row.locator('button.primary').textContent())?.trim(), tr(lang, 'con.confirm'));
    await onScreen(page, `tr[data-report="${report.id}"] button:not(.primary)`, `${lang} reports queue`);
    await onScreen(page, `tr[data-report="${report.id}"] button.primary`, `${lang} reports queue`);
    await fitsWidth(page, `${lang} reports queue`);
    await noSeriousViolations(page, `${lang} reports queue`);

    await dismiss.click();
    await page.waitForSelector('#main .msg.ok');
    assert.equal((await page.textContent('#main .msg.ok'))?.trim(), tr(lang, 'con.dismissed'));
    await page.waitForSelector(`tr[data-report="${report.id}"]`, { state: 'detached' });
    const queue = await app.server.ctx.reports!.queue();
    assert.ok(!queue.some((q) => q.reports.some((r) => r.id === report.id)), 'the report left the queue');
    assert.equal(reg.get(shelterId)?.status, 'open', 'dismissing does not change the shelter');
    await fitsWidth(page, `${lang} reports queue after dismissing`);
    await noSeriousViolations(page, `${lang} reports queue after dismissing`);
  });
}

test('en phone: alert buttons by role: the operator requests a false alarm, the approver sends it, the ended alert offers nothing', async (t) => {
  if (skipWithoutChromium(t)) return;
  const lang: Lang = 'en';
  const a = await api('olga', 'POST', '/api/alerts', exercise('Roles on a phone'));
  await api('avi', 'POST', `/api/alerts/${a.id}/approve`, {});
  const page = await phone.context.newPage();
  t.after(() => page.close());
  page.on('dialog', (d) => void d.accept());
  const buttons = async () => (await page.$$eval('.row-actions button', (bs) => bs.map((b) => (b.textContent ?? '').trim()))).sort();
  const allOnScreen = async (where: string) => {
    const n = await page.locator('.row-actions button').count();
    for (let i = 0; i < n; i++) await onScreen(page, `.row-actions button >> nth=${i}`, where);
  };

  await signInIn(page, lang, 'olga');
  await page.goto(`${app.url}/console.html#/alert/${encodeURIComponent(a.id)}`);
  await page.waitForSelector('[data-life="issued"]');
  assert.deepEqual(await buttons(), [tr(lang, 'con.cancelAlert'), tr(lang, 'alog.requestFalseAlarm'), tr(lang, 'con.update')].sort(), 'no false alarm for an operator');
  await allOnScreen('issued alert, operator');
  await fitsWidth(page, 'issued alert, operator');
  await noSeriousViolations(page, 'issued alert on a phone, operator');
  await page.click(`.row-actions button:has-text("${tr(lang, 'alog.requestFalseAlarm')}")`);
  await page.waitForSelector('#main .msg.ok');
  assert.equal((await page.textContent('#main .msg.ok'))?.trim(), tr(lang, 'alog.cancelDrafted'));
  const drafts = await api('avi', 'GET', '/api/alerts?state=draft');
  assert.ok((drafts.alerts as Array<{ msgType: string; createdBy: string; cap: { references?: string } }>).some((r) => r.msgType === 'Cancel' && r.createdBy === 'olga'), 'a cancel waits for an approver');

  await signInIn(page, lang, 'avi');
  await page.goto(`${app.url}/console.html#/alert/${encodeURIComponent(a.id)}`);
  await page.waitForSelector('[data-life="issued"]');
  assert.deepEqual(await buttons(), [tr(lang, 'con.cancelAlert'), tr(lang, 'con.falseAlarm'), tr(lang, 'con.update')].sort());
  await allOnScreen('issued alert, approver');
  await noSeriousViolations(page, 'issued alert on a phone, approver');
  await page.click('.row-actions button.primary');
  await page.waitForSelector('[data-life="false-alarm"]');
  assert.deepEqual(await buttons(), [], 'an ended alert offers no update or cancel');
  assert.equal((await page.textContent('.role-hint'))?.trim(), tr(lang, 'alog.ended'));
  assert.equal((await page.textContent('[data-field="state"]'))?.trim(), tr(lang, 'alog.state.false-alarm'));
  await fitsWidth(page, 'ended alert');
  await noSeriousViolations(page, 'ended alert on a phone');
});

const chips = (page: Page) => page.$$eval('.region-picker .chips li[data-code]', (els) => els.map((e) => e.getAttribute('data-code')!));
const name = (code: string) => DEMO.find((r) => r.code === code)!.name;

async function openComposer(page: Page, lang: Lang): Promise<void> {
  await signInIn(page, lang, 'olga');
  await page.goto(`${app.url}/console.html#/compose/exercise`);
  await page.waitForSelector('.region-picker[data-basemap]');
}

async function addByName(page: Page, typed: string, code: string): Promise<void> {
  await page.fill('#c-region', typed);
  await page.waitForSelector(`#c-region-list:not([hidden]) [role=option][data-code="${code}"]`);
  await page.click(`#c-region-list [role=option][data-code="${code}"]`);
}

for (const lang of LANGS) {
  test(`${lang} phone: the composer: a parent region includes its sub-regions, said in ${lang}`, async (t) => {
    if (skipWithoutChromium(t)) return;
    const page = await phone.context.newPage();
    t.after(() => page.close());
    await openComposer(page, lang);
    await addByName(page, 'Valby', VALBY);
    await page.waitForSelector(`.chips li[data-code="${VALBY}"]`);
    assert.equal((await page.textContent('.rp-status'))?.trim(), tr(lang, 'rp.added', { name: name(VALBY) }));

    const subRegions = DEMO.filter((r) => r.parentCode === CPH).length;
    await page.fill('#c-region', 'copenhagen');
    const option = page.locator(`#c-region-list [role=option][data-code="${CPH}"]`);
    await option.waitFor();
    assert.match((await option.textContent()) ?? '', new RegExp(tr(lang, 'rp.includes', { n: subRegions }).replace(/[()]/g, '\\$&')));
    await onScreen(page, `#c-region-list [role=option][data-code="${CPH}"]`, `${lang} composer, the region list`);
    await noSeriousViolations(page, `${lang} composer with the parent region offered`);
    await option.click();
    await page.waitForSelector(`.chips li[data-code="${CPH}"]`);
    // The district chosen before is dropped: the alert for the demo area reaches it.
    assert.deepEqual(await chips(page), [CPH]);
    assert.match((await page.textContent(`.chips li[data-code="${CPH}"]`)) ?? '', new RegExp(tr(lang, 'rp.includes', { n: subRegions }).replace(/[()]/g, '\\$&')));
    assert.equal((await page.textContent('.rp-status'))?.trim(), tr(lang, 'rp.absorbed', { name: name(CPH), n: 1 }));
    await onScreen(page, `.chips li[data-code="${CPH}"] button`, `${lang} composer, the parent chip`);

    // A district inside it is already included: said, and not added.
    await addByName(page, 'frederiksberg c', 'demo-copenhagen-frederiksberg-c');
    await page.waitForFunction((text) => document.querySelector('.rp-status')?.textContent?.trim() === text,
      tr(lang, 'rp.covered', { name: name('demo-copenhagen-frederiksberg-c'), parent: name(CPH) }));
    assert.deepEqual(await chips(page), [CPH]);
    assert.match((await page.textContent('pre.cap')) ?? '', new RegExp(`<value>${CPH}</value>`));
    await fitsWidth(page, `${lang} composer with a parent region`);
    await noSeriousViolations(page, `${lang} composer with a parent region`);
  });

  test(`${lang} phone: the composer: drawing an area adds the regions it touches; Escape cancels; said in ${lang}`, async (t) => {
    if (skipWithoutChromium(t)) return;
    const page = await phone.context.newPage();
    t.after(() => page.close());
    await openComposer(page, lang);
    // Choosing Valby by name brings it into view; removed again, a square in the map's middle lies over it.
    await addByName(page, 'valby', VALBY);
    await page.waitForSelector(`.chips li[data-code="${VALBY}"]`);
    await page.click(`.chips li[data-code="${VALBY}"] button`);
    await page.waitForFunction(() => document.querySelectorAll('.region-picker .chips li[data-code]').length === 0);
    const squareNow = async (): Promise<Array<[number, number]>> => {
      const canvas = page.locator('.region-picker .map canvas');
      await canvas.scrollIntoViewIfNeeded();
      const b = (await canvas.boundingBox())!;
      assert.ok(b.x >= 0 && b.x + b.width <= PHONE.width + 0.5, `${lang}: the map fits the phone (${JSON.stringify(b)})`);
      const cx = b.x + b.width / 2, cy = b.y + b.height / 2;
      return [[cx - 15, cy - 15], [cx + 15, cy - 15], [cx + 15, cy + 15], [cx - 15, cy + 15]];
    };

    assert.equal((await page.textContent('.rp-draw'))?.trim(), tr(lang, 'rp.draw'));
    await page.click('.rp-draw');
    let square = await squareNow();
    assert.equal((await page.textContent('.rp-finish'))?.trim(), tr(lang, 'rp.drawFinish'));
    assert.equal((await page.textContent('.rp-cancel'))?.trim(), tr(lang, 'rp.drawCancel'));
    await onScreen(page, '.rp-finish', `${lang} drawing`);
    await onScreen(page, '.rp-cancel', `${lang} drawing`);
    await page.mouse.click(...square[0]);
    await page.mouse.click(...square[1]);
    const points = (n: number) => `${tr(lang, 'rp.drawHint')} ${tr(lang, 'rp.drawPoints', { n })}`;
    await page.waitForFunction((text) => document.querySelector('.rp-draw-hint')?.textContent === text, points(2));
    assert.equal(await page.isDisabled('.rp-finish'), true, 'two points are not an area');
    await fitsWidth(page, `${lang} composer while drawing`);
    await noSeriousViolations(page, `${lang} composer while drawing`);
    await page.keyboard.press('Escape');
    await page.waitForSelector('.rp-draw:not([hidden])');
    assert.deepEqual(await chips(page), []);

    await page.click('.rp-draw');
    square = await squareNow();
    for (const p of square) await page.mouse.click(...p);
    await page.waitForFunction((text) => document.querySelector('.rp-draw-hint')?.textContent === text, points(4));
    await page.click('.rp-finish');
    await page.waitForSelector(`.chips li[data-code="${VALBY}"]`);
    const drawn = await chips(page);
    const districts = new Map(DEMO.filter((r) => r.parentCode === CPH).map((r) => [r.code, r.name]));
    assert.ok(drawn.every((c) => districts.has(c)) && drawn.length <= 3, `the districts the square touches, not the area around them: ${drawn.join()}`);
    assert.equal((await page.textContent('.rp-status'))?.trim(), tr(lang, 'rp.drawAdded', { n: drawn.length, names: drawn.map((c) => districts.get(c)!).join(', ') }));
    for (const c of drawn) assert.match((await page.textContent('pre.cap')) ?? '', new RegExp(`<value>${c}</value>`));
    await onScreen(page, `.chips li[data-code="${VALBY}"] button`, `${lang} composer after drawing`);
    await fitsWidth(page, `${lang} composer after drawing`);
    await noSeriousViolations(page, `${lang} composer after drawing`);
  });
}

for (const lang of LANGS) {
  test(`${lang} phone: a wrong password at sign-in is refused in ${lang}, the reason too`, async (t) => {
    if (skipWithoutChromium(t)) return;
    const page = await phone.context.newPage();
    t.after(() => page.close());
    await page.context().clearCookies();
    await page.goto(`${app.url}/console.html?lang=${lang}#/registry`);
    await page.waitForFunction((l) => document.documentElement.lang === l, lang);
    assert.equal(await page.getAttribute('html', 'dir'), lang === 'en' ? 'ltr' : 'rtl');
    await page.fill('#login-name', 'nobody');
    await page.fill('#login-password', 'not-the-password');
    await page.click('form button[type=submit]');
    await page.waitForSelector('#main .msg.err:not([hidden])');
    // The server's reason was shown in English ("Wrong name or password") inside the translated sentence.
    assert.equal((await page.textContent('#main .msg.err'))?.trim(), tr(lang, 'con.loginFailed', { message: tr(lang, 'signin.badCredentials') }));
    await onScreen(page, '#main .msg.err', `${lang} sign-in refused`);
    await onScreen(page, 'form button[type=submit]', `${lang} sign-in refused`);
    await fitsWidth(page, `${lang} sign-in refused`);
    await noSeriousViolations(page, `${lang} sign-in refused`);
  });
}

/** What the fresh sign-in prompt said to a wrong password, per language (checked by the test below). */
const refusals: Partial<Record<Lang, string>> = {};

for (const lang of ['he', 'ar'] as const) {
  test(`${lang} phone: an approver with an old sign-in is asked for the password in ${lang}, then approves; nothing is issued before`, async (t) => {
    if (skipWithoutChromium(t)) return;
    const draft = await api('olga', 'POST', '/api/alerts', {
      status: 'Actual', msgType: 'Alert', event: 'missile', urgency: 'Immediate', severity: 'Extreme', certainty: 'Observed',
      headline: `Fresh sign-in ${lang}`, instruction: 'Go to the nearest shelter now.', regions: ['DK-IB'], expires: new Date(Date.now() + clock.aheadMs + 3_600_000).toISOString(),
    });
    const state = async () => (await api('olga', 'GET', `/api/alerts/${draft.id}`)).state as string;
    const page = await phone.context.newPage();
    t.after(() => page.close());
    await signInIn(page, lang, 'avi');
    clock.aheadMs += 6 * 60_000; // past the 5-minute window, well inside the idle timeout
    await page.goto(`${app.url}/console.html#/alert/${encodeURIComponent(draft.id)}`);
    const approve = `.row-actions button.primary:has-text("${tr(lang, 'con.approve')}")`;
    await page.waitForSelector(approve);
    await page.click(approve);
    await page.waitForSelector('.resign-prompt');
    assert.equal((await page.textContent('.resign-prompt .msg'))?.trim(), tr(lang, 'resign.needed'));
    assert.equal((await page.textContent('.resign-prompt label'))?.trim(), tr(lang, 'resign.password'));
    assert.equal((await page.textContent('.resign-prompt button[type=submit]'))?.trim(), tr(lang, 'resign.submit'));
    assert.equal(await state(), 'draft', 'refused: nothing issued');
    await onScreen(page, '.resign-prompt input[type=password]', `${lang} fresh sign-in`);
    await onScreen(page, '.resign-prompt button[type=submit]', `${lang} fresh sign-in`);
    await fitsWidth(page, `${lang} fresh sign-in prompt`);
    await noSeriousViolations(page, `${lang} fresh sign-in prompt`);

    await page.fill('.resign-prompt input[type=password]', 'not-the-password');
    await page.click('.resign-prompt button[type=submit]');
    const failedPrefix = tr(lang, 'resign.failed', { message: '' }).trim();
    await page.waitForFunction((p) => document.querySelector('.resign-prompt .msg')?.textContent?.startsWith(p), failedPrefix);
    refusals[lang] = (await page.textContent('.resign-prompt .msg')) ?? '';
    assert.equal(await state(), 'draft');
    await noSeriousViolations(page, `${lang} fresh sign-in refused`);

    await page.fill('.resign-prompt input[type=password]', PASSWORDS.avi);
    await page.click('.resign-prompt button[type=submit]');
    await page.waitForSelector('.resign-prompt .msg.ok');
    assert.equal((await page.textContent('.resign-prompt .msg.ok'))?.trim(), tr(lang, 'resign.done'));
    await page.click(approve);
    await page.waitForSelector('[data-life="issued"]');
    assert.equal((await page.textContent('#main .msg.ok'))?.trim(), tr(lang, 'con.approved'));
    assert.equal(await state(), 'issued');
    await fitsWidth(page, `${lang} approved after a fresh sign-in`);
    await noSeriousViolations(page, `${lang} approved after a fresh sign-in`);
    await api('avi', 'POST', `/api/alerts/${draft.id}/cancel`, {});
  });
}

test('he, ar phone: the fresh sign-in prompt says why it refused in the console\'s language', (t) => {
  if (skipWithoutChromium(t)) return;
  for (const lang of ['he', 'ar'] as const) {
    const said = refusals[lang];
    assert.ok(said, `the ${lang} fresh sign-in test ran and recorded the refusal`);
    assert.equal(said.trim(), tr(lang, 'resign.failed', { message: tr(lang, 'signin.badCredentials') }));
  }
});
