// Issue 14's operator, approver and warden journeys on a phone viewport in Hebrew and Arabic (right to left), filling
// the gaps the coverage audit (docs/e2e-coverage.md) found: the composer's region search by names written in Hebrew
// and Arabic (partial words, final letters, the forms of alef); the template editor routed as #/templates; the live
// approvals badge; the warden's Mark full prompt on screen without scrolling. axe-core on each screen.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { skipWithoutChromium, startApp, seedRegions, launchBrowser, chromiumAvailable, signIn, noSeriousViolations, type App, type Browser } from './harness.ts';
import { parseRegionsGeoJson } from '../../src/geo/index.ts';
import { reloadRegions } from '../../src/server/capabilities/regions.ts';

const PHONE = { width: 390, height: 844 };
type Lang = 'en' | 'he' | 'ar';
const RTL_SCRIPT: Record<Lang, RegExp> = { en: /[A-Za-z]/, he: /[\u0590-\u05FF]/, ar: /[\u0600-\u06FF]/ };

const box = (lon: number, lat: number) => ({ type: 'Polygon', coordinates: [[[lon, lat], [lon + 0.05, lat], [lon + 0.05, lat + 0.05], [lon, lat + 0.05], [lon, lat]]] });
/** Regions whose only names are in Hebrew and Arabic, as an Israeli or Egyptian authority's file would have them. */
const RTL_REGIONS = {
  type: 'FeatureCollection',
  features: [
    { type: 'Feature', properties: { name: 'ראשון לציון', code: 'IL-RLZ', warning_time_s: 90 }, geometry: box(34.78, 31.95) },
    { type: 'Feature', properties: { name: 'באר שבע', code: 'IL-BS', warning_time_s: 60 }, geometry: box(34.77, 31.24) },
    { type: 'Feature', properties: { name: 'الإسكندرية', code: 'EG-ALX', warning_time_s: 120 }, geometry: box(29.9, 31.18) },
    { type: 'Feature', properties: { name: 'القاهرة الجديدة', code: 'EG-NC', warning_time_s: 120 }, geometry: box(31.45, 30.0) },
  ],
};

let app: App;
let phone: Browser;
const ids = { a: '', b: '', c: '' };

before(async () => {
  if (!chromiumAvailable()) return;
  app = await startApp(async (server) => {
    const reg = server.ctx.registry;
    ids.a = (await reg.create({ name: 'Aaa bunker', lat: 55.6765, lon: 12.5683, capacity: 30 }, 'e2e')).id;
    ids.b = (await reg.create({ name: 'Bbb bunker', lat: 55.675, lon: 12.569, capacity: 3 }, 'e2e')).id;
    ids.c = (await reg.create({ name: 'Ccc bunker', lat: 55.674, lon: 12.567, capacity: 40 }, 'e2e')).id;
    await seedRegions(server);
    await reloadRegions(server.ctx, 'e2e-rtl', parseRegionsGeoJson(JSON.stringify(RTL_REGIONS), {}, 'e2e-rtl').regions);
  }, { shelters: false });
  phone = await launchBrowser({ viewport: PHONE });
});

after(async () => {
  await phone?.close();
  await app?.close();
});

/** Signs in on a console page whose language is `lang` (kept by the console in localStorage across the sign-in). */
async function signInIn(page: Page, lang: Lang, who: 'olga' | 'avi' | 'wendy'): Promise<void> {
  await page.goto(`${app.url}/console.html?lang=${lang}`);
  await page.waitForFunction((l) => document.documentElement.lang === l, lang);
  await signIn(page, app.url, who);
  assert.equal(await page.getAttribute('html', 'dir'), lang === 'en' ? 'ltr' : 'rtl');
}

/** The page fits the phone: nothing sticks out sideways (a right-to-left page that overflows scrolls to the left). */
async function fitsWidth(page: Page, where: string): Promise<void> {
  const { scroll, client } = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, client: document.documentElement.clientWidth }));
  assert.ok(scroll <= client, `${where}: the page is ${scroll} px wide on a ${client} px screen`);
}

async function api(who: 'olga' | 'avi', method: string, path: string, body?: unknown): Promise<{ id: string }> {
  const token = await app.server.ctx.accounts.createApiToken(who);
  const res = await fetch(app.url + path, { method, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
  assert.ok(res.ok, `${path}: ${res.status} ${await res.clone().text()}`);
  return res.json() as Promise<{ id: string }>;
}

const SEARCHES: Array<{ lang: Lang; typed: string; code: string; name: string; why: string }> = [
  { lang: 'he', typed: 'ראשונ', code: 'IL-RLZ', name: 'ראשון לציון', why: 'a word typed so far with the ordinary nun finds the final nun' },
  { lang: 'he', typed: 'שבע', code: 'IL-BS', name: 'באר שבע', why: 'the second word of the name' },
  { lang: 'ar', typed: 'الاسكندر', code: 'EG-ALX', name: 'الإسكندرية', why: 'a bare alef finds the alef with hamza, the start of the word' },
  { lang: 'ar', typed: 'الجديده', code: 'EG-NC', name: 'القاهرة الجديدة', why: 'heh typed for teh marbuta, the second word' },
];

for (const s of SEARCHES) {
  test(`${s.lang} phone: the composer's region search finds "${s.name}" from "${s.typed}" (${s.why})`, async (t) => {
    if (skipWithoutChromium(t)) return;
    const page = await phone.context.newPage();
    t.after(() => page.close());
    await signInIn(page, s.lang, 'olga');
    await page.goto(`${app.url}/console.html#/compose/exercise`);
    await page.waitForSelector('.region-picker[data-basemap]');
    const input = page.locator('#c-region');
    await input.fill(s.typed);
    await page.waitForSelector('#c-region-list:not([hidden]) [role=option]');
    const options = await page.locator('#c-region-list [role=option]').allTextContents();
    assert.ok(options[0]?.startsWith(`${s.name} (${s.code})`), `first offered for "${s.typed}": ${options.join(' | ')}`);
    await noSeriousViolations(page, `${s.lang} composer with the region list open`);
    await input.press('Enter');
    await page.waitForSelector(`.region-picker .chips li[data-code="${s.code}"]`);
    assert.match((await page.textContent('pre.cap')) ?? '', new RegExp(`<value>${s.code}</value>`));
    await noSeriousViolations(page, `${s.lang} composer with a region chosen`);
    // On a phone the composer's one grid column used to grow to the CAP preview's longest line (styles.css).
    await fitsWidth(page, `${s.lang} composer`);
  });
}

for (const lang of ['en', 'he', 'ar'] as const) {
  test(`${lang} phone: the template editor at #/templates: the Arabic template right to left, saved by an approver, read-only for an operator`, async (t) => {
    if (skipWithoutChromium(t)) return;
    const page = await phone.context.newPage();
    t.after(() => page.close());
    await signInIn(page, lang, 'avi');
    await page.goto(`${app.url}/console.html#/templates`);
    await page.waitForSelector('form.tpl-form #tpl-headline');
    assert.match((await page.textContent('#main h2')) ?? '', RTL_SCRIPT[lang], 'the title is in the console\'s language');
    // The pickers name event types and stages in the console's language (they showed the codes: missile, all-clear).
    for (const picker of ['#tpl-event', '#tpl-stage']) {
      for (const label of await page.locator(`${picker} option`).allTextContents()) assert.match(label, RTL_SCRIPT[lang], `${picker} offers "${label}"`);
    }
    assert.notEqual((await page.locator('#tpl-event option[value="missile"]').textContent())?.trim(), 'missile');
    await page.selectOption('#tpl-event', 'missile');
    await page.selectOption('#tpl-stage', 'alert');
    await page.selectOption('#tpl-language', 'ar');
    assert.equal(await page.inputValue('#tpl-headline'), 'إنذار صاروخي');
    assert.equal(await page.getAttribute('#tpl-headline', 'dir'), 'rtl');
    assert.equal(await page.getAttribute('#tpl-instruction', 'lang'), 'ar');
    await fitsWidth(page, `${lang} template editor`);
    await noSeriousViolations(page, `${lang} template editor`);
    const instruction = `توجهوا فوراً إلى أقرب ملجأ (${lang})`;
    await page.fill('#tpl-instruction', instruction);
    await page.click('form.tpl-form button[type=submit]');
    await page.waitForSelector('#main .msg.ok');
    assert.match((await page.textContent('.tpl-state')) ?? '', /avi/);
    const stored = await api('olga', 'GET', '/api/alert-templates') as unknown as { templates: Array<{ eventType: string; stage: string; language: string; instruction: string | null }> };
    assert.equal(stored.templates.find((x) => x.eventType === 'missile' && x.stage === 'alert' && x.language === 'ar')?.instruction, instruction, 'the server keeps it');
    await noSeriousViolations(page, `${lang} template editor after saving`);

    await signInIn(page, lang, 'olga');
    await page.goto(`${app.url}/console.html#/templates`);
    await page.waitForSelector('form.tpl-form #tpl-headline');
    assert.equal(await page.isDisabled('#tpl-headline'), true, 'an operator reads templates only');
    assert.equal(await page.locator('form.tpl-form button[type=submit]').count(), 0);
    await noSeriousViolations(page, `${lang} template editor, read-only`);
  });
}

for (const lang of ['he', 'ar'] as const) {
  test(`${lang} phone: the approvals badge counts a waiting draft live, says so in ${lang}, and goes once it is approved`, async (t) => {
    if (skipWithoutChromium(t)) return;
    const page = await phone.context.newPage();
    t.after(() => page.close());
    await signInIn(page, lang, 'avi');
    await page.goto(`${app.url}/console.html#/registry`);
    await page.waitForSelector('#nav a[href="#/approvals"]');
    assert.equal(await page.locator('#nav .nav-badge').count(), 0, 'nothing waits yet');
    const draft = await api('olga', 'POST', '/api/alerts', {
      status: 'Exercise', event: 'missile', headline: `Badge ${lang}`, instruction: 'Go to the nearest shelter now.',
      regions: ['DK-IB'], expires: new Date(Date.now() + 600_000).toISOString(),
    });
    const badge = page.locator('#nav a[href="#/approvals"] .nav-badge[data-count="1"]');
    await badge.waitFor();
    const said = (await badge.locator('.sr-only').textContent()) ?? '';
    assert.match(said, RTL_SCRIPT[lang], `the badge is read out in ${lang}: "${said}"`);
    assert.doesNotMatch(said, /waiting for approval/);
    const b = (await badge.boundingBox())!;
    assert.ok(b.x >= 0 && b.x + b.width <= PHONE.width && b.y >= 0 && b.y + b.height <= PHONE.height, `the badge is on the phone's screen: ${JSON.stringify(b)}`);
    await noSeriousViolations(page, `${lang} console with the approvals badge`);

    await page.click('#nav a[href="#/approvals"]');
    await page.locator(`#main a[href="#/alert/${encodeURIComponent(draft.id)}"]`).first().waitFor();
    await noSeriousViolations(page, `${lang} approvals`);
    await page.goto(`${app.url}/console.html#/alert/${encodeURIComponent(draft.id)}`);
    await page.waitForSelector('.phone-preview');
    await noSeriousViolations(page, `${lang} alert review with the phone preview`);
    await api('avi', 'POST', `/api/alerts/${draft.id}/approve`, {});
    await page.locator('#nav .nav-badge').waitFor({ state: 'detached' });
    await api('avi', 'POST', `/api/alerts/${draft.id}/cancel`, { falseAlarm: true });
  });
}

for (const lang of ['he', 'ar'] as const) {
  test(`${lang} phone: the warden's Mark full prompt is on screen without scrolling after saving a full count`, async (t) => {
    if (skipWithoutChromium(t)) return;
    const reg = app.server.ctx.registry;
    await reg.setWarden(ids.a, 'wendy', true, 'olga');
    await reg.setWarden(ids.b, 'wendy', true, 'olga');
    await reg.setStatus(ids.b, 'open', 'olga');
    await reg.reportOccupancy(ids.b, { occupancy: 0, status: 'open' }, 'olga');
    const page = await phone.context.newPage();
    t.after(() => page.close());
    await signInIn(page, lang, 'wendy');
    const card = `section.warden-shelter[data-shelter="${ids.b}"]`;
    await page.waitForSelector(card);
    await noSeriousViolations(page, `${lang} my shelters`);
    // The second card, further down the page: the warden scrolls to it to type and save (as a click does).
    await page.fill(`${card} input[name=occupancy]`, '3');
    await page.click(`${card} form button[type=submit]`);
    await page.waitForSelector(`${card} .mark-full`);
    const button = (await page.locator(`${card} .mark-full`).boundingBox())!;
    assert.ok(button.y >= 0 && button.y + button.height <= PHONE.height && button.x >= 0 && button.x + button.width <= PHONE.width,
      `Mark full is on screen (${JSON.stringify(button)} in ${PHONE.width}x${PHONE.height})`);
    assert.ok(button.height >= 44, 'a thumb-sized button');
    assert.match((await page.textContent(`${card} .mark-full`)) ?? '', RTL_SCRIPT[lang], 'translated');
    const prompt = (await page.locator(`${card} .w-msg .msg.warn p`).boundingBox())!;
    assert.ok(prompt.y >= 0, 'the prompt text is on screen');
    await fitsWidth(page, `${lang} my shelters`);
    await noSeriousViolations(page, `${lang} my shelters, Mark full offered`);
    await page.click(`${card} .mark-full`);
    await page.waitForSelector(`${card} button[data-status="full"][aria-pressed="true"]`);
    assert.equal(reg.get(ids.b)!.status, 'full');
    await noSeriousViolations(page, `${lang} my shelters, marked full`);
  });
}

for (const lang of ['he', 'ar'] as const) {
  test(`${lang} phone: alert buttons by role: the operator requests a false alarm, the approver sends it, the ended alert offers nothing`, async (t) => {
    if (skipWithoutChromium(t)) return;
    const a = await api('olga', 'POST', '/api/alerts', {
      status: 'Exercise', event: 'missile', headline: `Roles ${lang}`, instruction: 'Go to the nearest shelter now.',
      regions: ['DK-IB'], expires: new Date(Date.now() + 600_000).toISOString(),
    });
    await api('avi', 'POST', `/api/alerts/${a.id}/approve`, {});
    const page = await phone.context.newPage();
    t.after(() => page.close());
    page.on('dialog', (d) => void d.accept());
    const buttons = () => page.$$eval('.row-actions button', (bs) => bs.map((b) => ({ text: b.textContent ?? '', primary: b.classList.contains('primary'), ...(({ left, right }) => ({ left, right }))(b.getBoundingClientRect()) })));

    // The operator: update, cancel and "request a false-alarm cancel" (the server refuses them a false alarm).
    await signInIn(page, lang, 'olga');
    await page.goto(`${app.url}/console.html#/alert/${encodeURIComponent(a.id)}`);
    await page.waitForSelector('[data-life="issued"]');
    let offered = await buttons();
    assert.equal(offered.length, 3, JSON.stringify(offered));
    assert.equal(offered.filter((b) => b.primary).length, 0, 'no false alarm for an operator');
    for (const b of offered) {
      assert.match(b.text, RTL_SCRIPT[lang], `translated: ${b.text}`);
      assert.ok(b.left >= 0 && b.right <= PHONE.width, `"${b.text}" is on the phone's screen (${b.left}..${b.right})`);
    }
    await noSeriousViolations(page, `${lang} issued alert, operator`);
    await page.click('.row-actions button:nth-of-type(3)');
    await page.waitForSelector('#main .msg.ok');
    assert.match((await page.textContent('#main .msg.ok')) ?? '', RTL_SCRIPT[lang]);

    // The approver: the false alarm itself; then nothing is offered on the ended alert.
    await signInIn(page, lang, 'avi');
    await page.goto(`${app.url}/console.html#/alert/${encodeURIComponent(a.id)}`);
    await page.waitForSelector('[data-life="issued"]');
    offered = await buttons();
    assert.equal(offered.length, 3, JSON.stringify(offered));
    assert.equal(offered.filter((b) => b.primary).length, 1, 'the approver may send the false alarm');
    await page.click('.row-actions button.primary');
    await page.waitForSelector('[data-life="false-alarm"]');
    assert.deepEqual(await buttons(), [], 'an ended alert offers no update or cancel');
    assert.match((await page.textContent('[data-field="state"]')) ?? '', RTL_SCRIPT[lang]);
    await noSeriousViolations(page, `${lang} ended alert, approver`);
  });
}

for (const lang of ['he', 'ar'] as const) {
  test(`${lang} phone: the alert log searches and shows the state and the people in ${lang}`, async (t) => {
    if (skipWithoutChromium(t)) return;
    const token = `log${lang}${Date.now()}`;
    const a = await api('olga', 'POST', '/api/alerts', {
      status: 'Exercise', event: 'missile', headline: `Drill ${token}`, instruction: 'Go to the nearest shelter now.',
      regions: ['DK-IB'], expires: new Date(Date.now() + 600_000).toISOString(),
    });
    await api('avi', 'POST', `/api/alerts/${a.id}/approve`, {});
    await api('avi', 'POST', `/api/alerts/${a.id}/cancel`, { falseAlarm: true });
    const page = await phone.context.newPage();
    t.after(() => page.close());
    await signInIn(page, lang, 'olga');
    await page.goto(`${app.url}/console.html#/alert-log`);
    await page.waitForSelector(`.alert-log tr[data-alert="${a.id}"]`);
    await page.fill('#alog-q', token);
    // The alert and the false-alarm Cancel that went out for it (whose headline names it); nothing else.
    await page.waitForFunction(() => document.querySelectorAll('.alert-log tbody tr').length === 2);
    const rows = page.locator('.alert-log tbody tr');
    for (const text of await rows.allTextContents()) assert.match(text, new RegExp(token));
    const mine = page.locator(`.alert-log tbody tr[data-alert="${a.id}"]`);
    assert.equal(await mine.getAttribute('data-life'), 'false-alarm');
    const row = (await mine.textContent()) ?? '';
    assert.match(row, /olga/);
    assert.match(row, /avi/);
    assert.match(row, RTL_SCRIPT[lang], `the state is said in ${lang}: ${row}`);
    assert.match((await page.textContent('.alog-count')) ?? '', RTL_SCRIPT[lang]);
    await noSeriousViolations(page, `${lang} alert log, searched`);
  });
}

for (const lang of ['he', 'ar'] as const) {
  test(`${lang} phone: an operator assigns a warden on the shelter screen and releases them, told so in ${lang}`, async (t) => {
    if (skipWithoutChromium(t)) return;
    const reg = app.server.ctx.registry;
    const page = await phone.context.newPage();
    t.after(() => page.close());
    await signInIn(page, lang, 'olga');
    await page.goto(`${app.url}/console.html#/shelter/${encodeURIComponent(ids.c)}`);
    await page.waitForSelector('.wardens-editor h3');
    assert.match((await page.textContent('.wardens-editor h3')) ?? '', RTL_SCRIPT[lang]);
    await page.selectOption('#wdn-pick', 'wendy');
    await page.click('.wardens-assign button[type=submit]');
    await page.waitForSelector('.wardens-list li[data-warden="wendy"]');
    assert.deepEqual(reg.wardens(ids.c), ['wendy']);
    assert.match((await page.textContent('.wardens-editor [role=status]')) ?? '', RTL_SCRIPT[lang]);
    await noSeriousViolations(page, `${lang} shelter screen, a warden assigned`);
    await page.click('.wardens-list li[data-warden="wendy"] button.release');
    await page.waitForSelector('.wardens-none');
    assert.deepEqual(reg.wardens(ids.c), []);
    await noSeriousViolations(page, `${lang} shelter screen, no warden`);
  });
}

for (const lang of ['he', 'ar'] as const) {
  test(`${lang} phone: the shelter's warden confirms a resident's report from the queue; the shelter takes the status`, async (t) => {
    if (skipWithoutChromium(t)) return;
    const reg = app.server.ctx.registry;
    await reg.setStatus(ids.c, 'open', 'olga');
    await reg.setWarden(ids.c, 'wendy', true, 'olga');
    const filed = await fetch(`${app.url}/api/reports`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ shelterId: ids.c, kind: 'locked', note: `${lang} note` }) });
    assert.equal(filed.status, 201);
    const { report } = await filed.json() as { report: { id: string } };
    const page = await phone.context.newPage();
    t.after(() => page.close());
    await signInIn(page, lang, 'wendy');
    await page.goto(`${app.url}/console.html#/reports`);
    const row = page.locator(`tr[data-report="${report.id}"]`);
    await row.waitFor();
    assert.match((await row.textContent()) ?? '', new RegExp(`${lang} note`));
    assert.match((await row.locator('button.primary').textContent()) ?? '', RTL_SCRIPT[lang]);
    await noSeriousViolations(page, `${lang} reports queue`);
    // Every column heading is translated (the note column's was the literal 'Note').
    const heads = (await page.locator('table th').allTextContents()).map((x) => x.trim()).filter(Boolean);
    for (const head of heads) assert.match(head, RTL_SCRIPT[lang], `heading "${head}"`);
    await row.locator('button.primary').click();
    await page.waitForSelector('#main .msg.ok');
    assert.equal(reg.get(ids.c)?.status, 'locked');
    await reg.setWarden(ids.c, 'wendy', false, 'olga');
  });
}
