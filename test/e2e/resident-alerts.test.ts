// What a resident under attack uses besides the finder, on a phone: the public alert map (no location, no WebGL),
// My places, the alarm sound and vibration with "Test my alerts", the pace and what to do when no shelter is
// reachable in time. In English, Hebrew and Arabic where the text matters; axe-core on every screen.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { skipWithoutChromium, launchBrowser, noSeriousViolations, type App, apiCall, withAlertApp, PHONE_SOUND_POLICY } from './harness.ts';
import en, { type MessageKey } from '../../web/src/i18n/en.ts';
import he from '../../web/src/i18n/he.ts';
import ar from '../../web/src/i18n/ar.ts';
import { formatDuration } from '../../web/src/lib/geo.ts';

const DICTS = { en, he, ar };
type Lang = keyof typeof DICTS;
/** The page's text for a key in a language, numbers written as the page writes them (Arabic-Indic digits in Arabic). */
const say = (lang: Lang, key: MessageKey, params: Record<string, string | number> = {}) =>
  DICTS[lang][key].replace(/\{(\w+)\}/g, (_, n: string) => (typeof params[n] === 'number' ? new Intl.NumberFormat(lang).format(params[n] as number) : String(params[n])));

const NO_WEBGL = ['--disable-webgl', '--disable-3d-apis'];
const PHONE = { width: 390, height: 844 };
const HERE = { latitude: 55.6761, longitude: 12.5683 }; // Rådhuspladsen, in DK-IB (90 s warning time)

let app: App;
let operator: string;
let approver: string;
withAlertApp((scene) => ({ app, operator, approver } = scene));

const api = (method: string, path: string, token: string, body?: unknown) => apiCall(app.url, method, path, token, body);

async function issue(headline: string, region: string, status = 'Actual') {
  const draft = await api('POST', '/api/alerts', operator, {
    status, msgType: 'Alert', event: 'missile', urgency: 'Immediate', severity: 'Extreme', certainty: 'Observed',
    headline, description: 'Missiles launched.', instruction: 'Go to the nearest shelter now.', regions: [region],
    expires: new Date(Date.now() + 30 * 60_000).toISOString(),
  });
  await api('POST', `/api/alerts/${draft.id}/approve`, approver, {});
  return draft.id as string;
}

const end = (id: string) => api('POST', `/api/alerts/${id}/cancel`, approver, { falseAlarm: true });

async function phone(opts: { locale?: string; geolocation?: typeof HERE; args?: string[] } = {}) {
  const browser = await launchBrowser({ viewport: PHONE, args: opts.args ?? NO_WEBGL, locale: opts.locale, geolocation: opts.geolocation });
  const page = await browser.context.newPage();
  return { browser, page };
}

async function open(page: Page): Promise<void> {
  await page.goto(app.url + '/');
  await page.waitForSelector('body[data-ready=true]');
  await page.waitForSelector('body[data-alerts-ready=true]');
}

for (const locale of ['en-GB', 'he-IL', 'ar-EG']) {
  const lang = locale.slice(0, 2) as Lang;
  test(`${locale}: the alert map colours the regions under alert live, says since when, and gives each region's history (no location, no WebGL)`, async (t) => {
    if (skipWithoutChromium(t)) return;
    const { browser, page } = await phone({ locale });
    t.after(() => browser.close());
    const actual = await issue(`Map test ${locale} ${Date.now()}`, 'DK-VB');
    t.after(() => end(actual).catch(() => undefined));
    await open(page);
    assert.equal(await page.evaluate(() => document.documentElement.dir), lang === 'en' ? 'ltr' : 'rtl');

    // The board offers the map; the map shows Vesterbro under alert and Indre By quiet.
    await page.click('#alert-board .board-map');
    await page.waitForSelector('.amap-svg path[data-code="DK-VB"][data-state="alert"]');
    assert.equal(await page.getAttribute('.amap-svg path[data-code="DK-IB"]', 'data-state'), 'quiet');
    const since = await page.textContent('.amap-under li[data-code="DK-VB"] .amap-since');
    const pattern = DICTS[lang]['amap.under'].replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace('{time}', '.+').replace('{duration}', '.+');
    assert.match(since ?? '', new RegExp(`^${pattern}$`), 'says since when and for how long');
    await noSeriousViolations(page, `${locale} alert map`);

    // Live: an exercise over Indre By colours it without a reload; ending the real alert clears Vesterbro.
    const exercise = await issue(`Map exercise ${locale} ${Date.now()}`, 'DK-IB', 'Exercise');
    await page.waitForSelector('.amap-svg path[data-code="DK-IB"][data-state="exercise"]', { timeout: 5000 });
    await end(actual);
    await page.waitForSelector('.amap-svg path[data-code="DK-VB"][data-state="quiet"]', { timeout: 5000 });
    assert.equal(await page.getAttribute('.amap-svg', 'data-under'), '1');

    // Vesterbro's last days: the ended alert, as a false alarm (quiet regions are listed under "All regions").
    await page.click('.amap-quiet summary');
    await page.click('.amap-list li[data-code="DK-VB"] button');
    await page.waitForSelector(`.amap-history[data-region="DK-VB"] .history-entry[data-alert-id="${actual}"].history-false-alarm`);
    assert.equal(await page.locator(`.amap-history[data-region="DK-VB"] .history-entry[data-alert-id="${exercise}"]`).count(), 0, 'only the region\'s own alerts');
    await noSeriousViolations(page, `${locale} alert map with a region's history`);
    await end(exercise);
  });
}

for (const locale of ['en-GB', 'he-IL', 'ar-EG']) {
  const lang = locale.slice(0, 2) as Lang;
  test(`${locale}: My places get their alerts full screen without a location, with what to do and the countdown of the place's region`, async (t) => {
    if (skipWithoutChromium(t)) return;
    const { browser, page } = await phone({ locale });
    t.after(() => browser.close());
    await open(page);
    await page.click('#places');
    // Typed loosely: lower case, part of the name.
    await page.click('.quick-names button:nth-child(3)'); // Parents
    await page.fill('#place-region', 'vesterb');
    await page.click('#place-add');
    await page.waitForSelector(`#places-list li[data-place="${DICTS[lang]['places.parents']}"]`);
    await page.fill('#place-name', 'Office');
    await page.fill('#place-region', 'INDRE BY');
    await page.click('#place-add');
    await page.waitForSelector('#places-list li[data-place="Office"]');
    await page.fill('#place-name', 'Nowhere');
    await page.fill('#place-region', 'Atlantis');
    await page.click('#place-add');
    assert.equal(await page.textContent('#places-status'), say(lang, 'places.unknownRegion', { name: 'Atlantis' }));
    // Push: Chromium refuses notifications to this headless profile; the panel says so, plainly.
    await page.waitForSelector('#push-why[data-reason]');
    await noSeriousViolations(page, `${locale} My places`);

    const headline = `Places test ${locale} ${Date.now()}`;
    const id = await issue(headline, 'DK-VB');
    t.after(() => end(id).catch(() => undefined));
    await page.waitForSelector('#alert.actual h2#alert-title', { timeout: 5000 });
    assert.equal(await page.textContent('#alert-title'), headline);
    assert.equal(await page.textContent('#alert .place'), say(lang, 'places.atPlace', { places: DICTS[lang]['places.parents'] }));
    // Vesterbro's 120 s, not Indre By's 90.
    const left = await page.textContent('#alert .countdown');
    const m = /^(\d+):(\d\d)$/.exec(left ?? '');
    assert.ok(m, `countdown ${left}`);
    const seconds = Number(m[1]) * 60 + Number(m[2]);
    assert.ok(seconds > 90 && seconds <= 120, `countdown from Vesterbro's 120 s: ${left}`);
    // Without a position, what to do where you are is on the screen; the situation changes the advice.
    await page.click('#alert .situations button[data-situation="car"]');
    const steps = await page.locator('#alert .advice-steps li').allTextContents();
    assert.deepEqual(steps, [1, 2, 3].map((i) => DICTS[lang][`noshelter.car.${i}` as MessageKey]));
    await noSeriousViolations(page, `${locale} alert for a saved place`);

    await end(id);
    await page.waitForSelector('#alert.all-clear', { timeout: 5000 });
  });
}

test('sound and vibration: the alarm waits for a first touch, then sounds; Test my alerts runs the screen, the alarm and the notification', async (t) => {
  if (skipWithoutChromium(t)) return;
  const { browser, page } = await phone({ geolocation: HERE });
  t.after(() => browser.close());
  await browser.context.grantPermissions(['geolocation', 'notifications'], { origin: app.url });
  // Record what the page asks the vibration motor for (the browser's own answer is passed back unchanged), and stand in
  // for the browser's push service as test/e2e/web-push.test.ts does: a subscription this device "has".
  // Headless Chromium lets any page play sound; a phone's browser waits for a first touch. That policy is put back
  // (and only that): until a real pointer or key event, an AudioContext says "suspended" and resume() waits.
  // (navigator.userActivation cannot tell: playwright's own page scripts count as user gestures.)
  await page.addInitScript({ content: PHONE_SOUND_POLICY });

  await open(page);

  // An alert before any touch: the screen and the vibration, and a button to let the alarm sound.
  const id = await issue(`Sound test ${Date.now()}`, 'DK-IB');
  t.after(() => end(id).catch(() => undefined));
  await page.waitForSelector('#alert.actual');
  await page.waitForSelector('body[data-sound="blocked"]', { state: 'attached' });
  assert.deepEqual(await page.evaluate(() => (window as unknown as { vibrations: unknown[] }).vibrations[0]), [800, 300, 800, 300, 800, 300, 800]);
  await page.click('#alert button.sound.enable');
  await page.waitForSelector('body[data-sound="playing"]', { state: 'attached' });
  await noSeriousViolations(page, 'alert with the alarm sounding');
  await page.click('#alert button.sound.silence');
  await page.waitForSelector('body[data-sound="silent"]', { state: 'attached' });
  await end(id);
  await page.waitForSelector('#alert.all-clear');
  await page.click('#alert button.big');

  // Test my alerts, not subscribed: the exercise screen, the beeps, the vibration; no notification, and it says why.
  await page.click('#places');
  await page.click('#test-alerts');
  await page.waitForSelector('#alert.exercise #alert-title');
  assert.equal(await page.textContent('#alert-title'), en['test.headline']);
  assert.match(await page.textContent('#alert .band') ?? '', /EXERCISE/);
  assert.match(await page.textContent('#alert .countdown') ?? '', /^01:(2\d|30)$/, 'counts down from the position\'s 90 s');
  await page.waitForSelector('#test-result [data-check="notification"]');
  assert.equal(await page.getAttribute('#test-result [data-check="sound"]', 'class'), 'ok');
  assert.match(await page.textContent('#test-result [data-check="notification"]') ?? '', new RegExp(en['test.notSubscribed']));
  assert.deepEqual(await page.evaluate(() => (window as unknown as { vibrations: unknown[] }).vibrations.at(-1)), [200, 150, 200, 150, 200]);
  await noSeriousViolations(page, 'device test screen');
  await page.click('#alert button.end-test');
  await page.waitForSelector('#alert', { state: 'hidden' });

  // A subscription this server does not know (the browser's push service stood in for): the test push goes through the
  // server now (POST /api/push/test), which refuses an unregistered device, and the page says so. The whole path with
  // a registered device, a push service and the real service worker is test/e2e/approvals-push.test.ts.
  await page.evaluate(`PushManager.prototype.getSubscription = function () { return Promise.resolve({ endpoint: 'https://push.invalid/test', toJSON() { return { endpoint: 'https://push.invalid/test', keys: {} }; } }); }`);
  await page.click('#places');
  await page.click('#test-alerts');
  await page.waitForSelector('#test-result [data-check="notification"]:not(.ok)', { timeout: 10_000 });
  await page.waitForFunction((text) => document.querySelector('#test-result [data-check="notification"]')?.textContent?.includes(text), en['ptest.notRegistered'], { timeout: 30_000 });
  await noSeriousViolations(page, 'device test screen with the notification');
});

for (const locale of ['en-GB', 'he-IL', 'ar-EG']) {
  const lang = locale.slice(0, 2) as Lang;
  test(`${locale}: the pace changes what is reachable in time, as the server computes it at that speed; nothing in time brings the advice`, async (t) => {
    if (skipWithoutChromium(t)) return;
    const { browser, page } = await phone({ locale, geolocation: HERE });
    t.after(() => browser.close());
    await open(page);
    await page.click('#find');
    await page.waitForSelector('#panel .results .result');
    // In the results too (one line, so the route stays in view): running halves the times shown.
    const plain = await (await fetch(`${app.url}/api/nearest?lat=${HERE.latitude}&lon=${HERE.longitude}&k=3`)).json() as { results: Array<{ walkSeconds: number }> };
    await page.selectOption('#results-pace', 'run');
    const { min: rm, sec: rs } = formatDuration(plain.results[0].walkSeconds / 2);
    await page.waitForFunction((text) => document.querySelector('#panel .result.selected .walk')?.textContent === text, say(lang, 'find.walk', { min: rm, sec: rs }));
    await noSeriousViolations(page, `${locale} results with the pace`);
    const id = await issue(`Pace test ${locale} ${Date.now()}`, 'DK-IB');
    t.after(() => end(id).catch(() => undefined));
    await page.waitForSelector('#alert.actual .nearest strong');

    for (const [pace, factor] of [['walk', 1], ['slow', 0.55], ['run', 2]] as const) {
      await page.click(`#alert .pace button[data-pace="${pace}"]`);
      await page.waitForSelector(`#alert .pace button[data-pace="${pace}"][aria-pressed="true"]`);
      const within = Math.max(1, Math.round(90 * factor));
      const server = await (await fetch(`${app.url}/api/nearest?lat=${HERE.latitude}&lon=${HERE.longitude}&k=3&within=${within}`)).json() as { results: Array<{ name: string; walkSeconds: number; reachableInTime: boolean }> };
      const best = server.results[0];
      await page.waitForFunction((name) => document.querySelector('#alert .nearest strong')?.textContent === name, best.name);
      const s = best.walkSeconds / factor;
      const shown = await page.textContent('#alert .nearest p');
      const { min, sec } = formatDuration(s);
      const walk = say(lang, 'find.walk', { min, sec });
      assert.equal(shown, `${best.name} · ${walk}`, `${pace}: the time at this pace`);
      const late = await page.locator('#alert .late').count();
      assert.equal(late, best.reachableInTime ? 0 : 1, `${pace}: reachable in time as the server says at ${within} s`);
      const advice = await page.locator('#alert .no-shelter').count();
      assert.equal(advice, best.reachableInTime ? 0 : 1, `${pace}: advice only when nothing is reachable in time`);
      if (!best.reachableInTime) {
        await page.click('#alert .situations button[data-situation="building"]');
        const steps = await page.locator('#alert .advice-steps li').allTextContents();
        assert.deepEqual(steps, [1, 2, 3, 4].map((i) => DICTS[lang][`noshelter.building.${i}` as MessageKey]));
        await noSeriousViolations(page, `${locale} ${pace}: no shelter in time`);
      }
    }
    await end(id);
  });
}
