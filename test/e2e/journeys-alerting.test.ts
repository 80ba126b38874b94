// Issue 14's alerting journeys on a phone in English, Hebrew and Arabic, with WebGL off and location never granted
// (the alerts reach the resident through My places): the alarm that waits for a first touch and then sounds, the
// vibration asked for, "Test my alerts" end to end to this device (the server's TEST push through Web Push into the
// real service worker), and a real alert pushed and shown in the resident's language. What the resident sees is
// checked in their language (the page right to left, no English left on the screen) and under axe-core.
//
// Techniques as in resident-alerts.test.ts (the autoplay policy of a phone put back, navigator.vibrate recorded) and
// web-push.test.ts / approvals-push.test.ts (the browser's push service stood in for by a local HTTPS receiver; what
// it receives is decrypted and delivered into the service worker with DevTools' ServiceWorker.deliverPushMessage).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { CDPSession, Page } from 'playwright-core';
import { skipWithoutChromium, chromiumAvailable, launchBrowser, noSeriousViolations, apiCall, startApp, seedRegions, type App, type Browser, until, PHONE_SOUND_POLICY, registrationOf } from './harness.ts';
import { browserSubscription, localPushService, selfSignedCert, type TestPushService } from '../alerts-delivery/push-endpoint.ts';
import type { SqliteStore } from '../../src/store/sqlite/index.ts';
import en, { type MessageKey } from '../../web/src/i18n/en.ts';
import he from '../../web/src/i18n/he.ts';
import ar from '../../web/src/i18n/ar.ts';

const DICTS = { en, he, ar };
type Lang = keyof typeof DICTS;
const LOCALES = ['en-GB', 'he-IL', 'ar-EG'] as const;
const say = (lang: Lang, key: MessageKey, params: Record<string, string | number> = {}) =>
  DICTS[lang][key].replace(/\{(\w+)\}/g, (_, n: string) => (typeof params[n] === 'number' ? new Intl.NumberFormat(lang).format(params[n] as number) : String(params[n])));

const NO_WEBGL = ['--disable-webgl', '--disable-3d-apis'];
const PHONE = { width: 390, height: 844 };
const LONG = [800, 300, 800, 300, 800, 300, 800]; // a real alert's vibration
const SHORT = [200, 150, 200, 150, 200]; // an exercise's or a test's on the page

/** The alert's text in each language, as an operator writes it (one CAP info block each). */
const TEXT = {
  en: { headline: 'Missile attack: go to a shelter', description: 'Missiles launched towards the area.', instruction: 'Go to the nearest shelter now.' },
  he: { headline: 'התקפת טילים: היכנסו למרחב מוגן', description: 'שוגרו טילים לעבר האזור.', instruction: 'היכנסו עכשיו למקלט הקרוב.' },
  ar: { headline: 'هجوم صاروخي: توجهوا إلى ملجأ', description: 'أُطلقت صواريخ نحو المنطقة.', instruction: 'توجهوا الآن إلى أقرب ملجأ.' },
};

// The push receiver is started before the app, in the same hook (withAlertApp's own hook could run first): the
// server started then may reach it on loopback and trusts its certificate (settings read at start).
const tls = chromiumAvailable() ? selfSignedCert() : null;
let pushService: Awaited<ReturnType<typeof localPushService>> | undefined;
let app: App;
let operator: string;
let approver: string;
before(async () => {
  if (!chromiumAvailable()) return;
  if (tls) pushService = await localPushService(tls);
  app = await startApp(seedRegions);
  operator = await app.server.ctx.accounts.createApiToken('olga');
  approver = await app.server.ctx.accounts.createApiToken('avi');
});
after(async () => {
  await app?.close();
  await pushService?.close();
});

const api = (method: string, path: string, token: string, body?: unknown) => apiCall(app.url, method, path, token, body);

/** A real missile alert over Indre By, written in English, Hebrew and Arabic; drafted by one person, approved by another. */
async function issue(tag: string): Promise<string> {
  const draft = await api('POST', '/api/alerts', operator, {
    status: 'Actual', msgType: 'Alert', event: 'missile', urgency: 'Immediate', severity: 'Extreme', certainty: 'Observed',
    ...TEXT.en, headline: `${TEXT.en.headline} ${tag}`, regions: ['DK-IB'], expires: new Date(Date.now() + 30 * 60_000).toISOString(),
    translations: (['he', 'ar'] as const).map((language) => ({ language, ...TEXT[language], headline: `${TEXT[language].headline} ${tag}` })),
  });
  await api('POST', `/api/alerts/${draft.id}/approve`, approver, {});
  return draft.id as string;
}

const end = (id: string) => api('POST', `/api/alerts/${id}/cancel`, approver, { falseAlarm: true });

type Recorded = { vibrations: Array<number[] | number>; oscillators: string[] };
const recorded = (page: Page) => page.evaluate(() => ({
  vibrations: (window as unknown as Recorded).vibrations, oscillators: (window as unknown as Recorded).oscillators,
}));

/**
 * The browser's push service, as PushManager shows it (see web-push.test.ts): subscribe() needs the permission and
 * userVisibleOnly and hands out `sub`, whose endpoint is this test's receiver and whose keys the test holds.
 */
const fakePushService = (sub: { endpoint: string; keys: { p256dh: string; auth: string } }) => `{
  const sub = ${JSON.stringify(sub)};
  const bytes = (s) => Uint8Array.from(atob(s.replace(/-/g, '+').replace(/_/g, '/') + '='.repeat((4 - (s.length % 4)) % 4)), (c) => c.charCodeAt(0));
  let current = null;
  PushManager.prototype.subscribe = async function (options) {
    if (Notification.permission !== 'granted') throw new DOMException('Registration failed - permission denied', 'NotAllowedError');
    if (!options || !options.userVisibleOnly) throw new DOMException('Registration failed - userVisibleOnly is required', 'NotAllowedError');
    const k = options.applicationServerKey;
    const key = typeof k === 'string' ? bytes(k) : new Uint8Array(k instanceof ArrayBuffer ? k : k.buffer);
    current ??= {
      endpoint: sub.endpoint, expirationTime: null, options: { userVisibleOnly: true, applicationServerKey: key.slice().buffer },
      getKey: (name) => bytes(sub.keys[name]).buffer,
      toJSON: () => ({ endpoint: sub.endpoint, expirationTime: null, keys: { ...sub.keys } }),
      unsubscribe: async () => { current = null; return true; },
    };
    return current;
  };
  PushManager.prototype.getSubscription = async function () { return current; };
}`;

async function phone(locale: string): Promise<{ browser: Browser; page: Page }> {
  // Location never granted; WebGL off.
  const browser = await launchBrowser({ viewport: PHONE, args: NO_WEBGL, locale });
  const page = await browser.context.newPage();
  return { browser, page };
}

async function open(page: Page, lang: Lang): Promise<void> {
  await page.goto(app.url + '/');
  // Generous: the machine is shared and the page loads the rest (list, places, search) after the alert side.
  await page.waitForSelector('body[data-ready=true]', { timeout: 90_000 });
  await page.waitForSelector('body[data-alerts-ready=true]', { timeout: 90_000 });
  assert.deepEqual(await page.evaluate(() => [document.documentElement.lang.slice(0, 2), document.documentElement.dir]), [lang, lang === 'en' ? 'ltr' : 'rtl']);
}

/** Saves Indre By as "Home" in My places (no location needed); the panel stays open. */
async function saveHome(page: Page, lang: Lang): Promise<void> {
  await page.click('#places');
  await page.click('.quick-names button:nth-child(1)'); // Home, in the page's language
  await page.fill('#place-region', 'indre by');
  await page.click('#place-add');
  await page.waitForSelector(`#places-list li[data-place="${DICTS[lang]['places.home']}"]`);
}

/** Place and region names (Latin letters in the demo data), and words that are not translated anywhere. */
const NAMES = ['Indre By', 'Vesterbro', 'DK-IB', 'DK-VB', 'Refuge', 'HTTP'];

/**
 * In a Hebrew or Arabic screen, the words in Latin letters left once the names above are taken out: English that
 * should have been translated. (In English, nothing to check: the texts are compared with the dictionary.)
 */
async function englishOn(page: Page, selector: string, lang: Lang): Promise<string[]> {
  if (lang === 'en') return [];
  let text = await page.locator(selector).innerText();
  for (const name of NAMES) text = text.split(name).join(' ');
  return text.match(/[A-Za-z]{2,}/g) ?? [];
}

async function isRtlWhereItShouldBe(page: Page, selector: string, lang: Lang): Promise<void> {
  const dir = await page.locator(selector).evaluate((el) => getComputedStyle(el).direction);
  assert.equal(dir, lang === 'en' ? 'ltr' : 'rtl', `${selector} reads ${lang === 'en' ? 'left to right' : 'right to left'}`);
}

for (const locale of LOCALES) {
  const lang = locale.slice(0, 2) as Lang;
  test(`${locale}, phone, no WebGL, no location: the alarm waits for the first touch, then sounds; the vibration; Test my alerts on this device`, async (t) => {
    if (skipWithoutChromium(t)) return;
    const { browser, page } = await phone(locale);
    t.after(() => browser.close());
    // Notifications allowed, push not turned on: the test says so.
    await browser.context.grantPermissions(['notifications'], { origin: app.url });
    await page.addInitScript({ content: PHONE_SOUND_POLICY });
    await open(page, lang);
    await saveHome(page, lang);
    // Saving the place touched the page: open it again, as a resident would another day, untouched (the saved place
    // stays on the device).
    await open(page, lang);

    // A real alert for the saved place, before any touch: the screen in the resident's language, the long vibration,
    // no sound yet and a button that lets the alarm sound.
    const tag = String(Date.now());
    const id = await issue(tag);
    t.after(() => end(id).catch(() => undefined));
    await page.waitForSelector('#alert.actual h2#alert-title', { timeout: 10_000 });
    assert.equal(await page.textContent('#alert-title'), `${TEXT[lang].headline} ${tag}`);
    assert.equal(await page.textContent('#alert .place'), say(lang, 'places.atPlace', { places: DICTS[lang]['places.home'] }));
    await page.waitForSelector('body[data-sound="blocked"]', { state: 'attached' });
    const held = await recorded(page);
    assert.deepEqual(held.vibrations[0], LONG, 'the long pattern of a real alert');
    assert.deepEqual(held.oscillators, [], 'no sound before a first touch');
    assert.equal((await page.textContent('#alert button.sound.enable'))?.trim(), DICTS[lang]['sound.enable']);
    await isRtlWhereItShouldBe(page, '#alert', lang);
    assert.deepEqual(await englishOn(page, '#alert', lang), [], 'no English on the alert screen');
    await noSeriousViolations(page, `${locale} alert, the alarm held back until a touch`);

    // The first touch: the siren (a sawtooth rising and falling), and a button to silence it.
    await page.click('#alert button.sound.enable');
    await page.waitForSelector('body[data-sound="playing"]', { state: 'attached' });
    assert.deepEqual((await recorded(page)).oscillators, ['sawtooth'], 'the siren sounds');
    assert.equal(await page.evaluate(() => document.body.dataset.audio), 'running');
    assert.equal((await page.textContent('#alert button.sound.silence'))?.trim(), DICTS[lang]['sound.silence']);
    assert.deepEqual(await englishOn(page, '#alert', lang), [], 'no English on the alert screen with the alarm sounding');
    await noSeriousViolations(page, `${locale} alert with the alarm sounding`);
    await page.click('#alert button.sound.silence');
    await page.waitForSelector('body[data-sound="silent"]', { state: 'attached' });
    assert.ok((await recorded(page)).vibrations.includes(0), 'silencing stops the vibration too');
    await end(id);
    await page.waitForSelector('#alert.all-clear', { timeout: 10_000 });
    assert.deepEqual(await englishOn(page, '#alert', lang), [], 'no English on the all-clear');
    await page.click('#alert button.big');

    // Test my alerts, push not on: the exercise screen in the resident's language, the beeps at once (the page was
    // touched), the short vibration; no notification, and it says why.
    await page.click('#places');
    await page.click('#test-alerts');
    await page.waitForSelector('#alert.exercise #alert-title');
    assert.equal(await page.textContent('#alert-title'), DICTS[lang]['test.headline']);
    assert.equal(await page.textContent('#alert .band'), DICTS[lang]['alert.exercise']);
    await page.waitForSelector('#test-result [data-check="notification"]', { timeout: 30_000 });
    const lines = Object.fromEntries(await page.locator('#test-result li').evaluateAll((els) => els.map((el) => [(el as HTMLElement).dataset.check, [el.className, el.textContent?.replace(/^[✔✖] /, '')]])));
    assert.deepEqual(lines, {
      screen: ['ok', DICTS[lang]['test.screen']],
      sound: ['ok', DICTS[lang]['test.soundOn']],
      vibration: ['ok', DICTS[lang]['test.vibrated']],
      notification: ['not', DICTS[lang]['test.notSubscribed']],
    });
    const tested = await recorded(page);
    assert.deepEqual(tested.vibrations.at(-1), SHORT, 'the short pattern of a test');
    assert.equal(tested.oscillators.at(-1), 'sine', 'beeps, not the siren');
    await isRtlWhereItShouldBe(page, '#test-result', lang);
    assert.deepEqual(await englishOn(page, '#alert', lang), [], 'no English on the test screen');
    assert.deepEqual(await englishOn(page, '#panel', lang), [], 'no English in My places with the test result');
    await noSeriousViolations(page, `${locale} Test my alerts, push not on`);
    await page.click('#alert button.end-test');
    await page.waitForSelector('#alert', { state: 'hidden' });
  });
}

interface Shown { title: string; body: string; tag: string; requireInteraction: boolean; vibrate: number[] }

async function notifications(page: Page): Promise<Shown[]> {
  return page.evaluate(async () => (await (await navigator.serviceWorker.ready).getNotifications())
    .map((n) => ({ title: n.title, body: n.body, tag: n.tag, requireInteraction: n.requireInteraction, vibrate: [...((n as unknown as { vibrate?: number[] }).vibrate ?? [])] })));
}

/** What the push service does with what it received: into the service worker (again, as a push service redelivers,
 * when headless Chromium drops a first delivery); then the notification `pick` finds. */
async function deliver(cdp: CDPSession, page: Page, registrationId: string, data: string, pick: (list: Shown[]) => Shown | undefined): Promise<Shown> {
  for (let attempt = 1; ; attempt++) {
    await cdp.send('ServiceWorker.deliverPushMessage', { origin: new URL(app.url).origin, registrationId, data });
    try {
      return await until('the notification', async () => pick(await notifications(page)), 5_000);
    } catch (err) {
      if (attempt === 3) throw new Error(`${(err as Error).message}; shown: ${JSON.stringify(await notifications(page))}`);
    }
  }
}

function received(service: TestPushService, path: string, count: number) {
  return until(`push #${count} at ${path}`, () => {
    const list = service.received.filter((r) => r.path === path);
    return list.length >= count ? list[count - 1] : null;
  });
}

for (const locale of LOCALES) {
  const lang = locale.slice(0, 2) as Lang;
  test(`${locale}, phone, no WebGL, no location: push for My places; Test my alerts through the server and the service worker; a real alert pushed in the resident's language`, async (t) => {
    if (skipWithoutChromium(t)) return;
    if (!tls || !pushService) return t.skip('openssl is not available to make the push receiver its certificate');
    const service = pushService.service;
    const path = `/push/journeys-${lang}`;
    const device = browserSubscription(`${service.origin}${path}`);
    const { browser, page } = await phone(locale);
    t.after(() => browser.close());
    await browser.context.grantPermissions(['notifications'], { origin: app.url });
    const cdp = await browser.context.newCDPSession(page);
    await page.addInitScript({ content: fakePushService({ endpoint: device.endpoint, keys: device.keys }) });
    await open(page, lang); // with the service worker
    await page.evaluate(() => navigator.serviceWorker.ready.then(() => true));
    const registrationId = await registrationOf(cdp, app.url);

    // My places: Home in Indre By; push for the saved places, without a location. The page leaves its language for
    // the service worker.
    await saveHome(page, lang);
    await page.waitForSelector('#push-why[data-reason]', { state: 'attached' });
    assert.deepEqual([await page.getAttribute('#push-why', 'data-reason'), await page.textContent('#push-why')], ['ok', DICTS[lang]['why.ok']]);
    await page.click('#places-push');
    await page.waitForFunction((text) => document.querySelector('#places-status')?.textContent === text, say(lang, 'places.pushFor', { regions: 'Indre By' }), { timeout: 30_000 })
      .catch(async (err: Error) => { throw new Error(`${err.message}; My places says ${JSON.stringify(await page.textContent('#places-status'))}`); });
    const stored = (app.server.ctx.store as SqliteStore).db.prepare('SELECT regions FROM push_subscriptions WHERE endpoint = ?').get(device.endpoint) as { regions: string } | undefined;
    assert.deepEqual(JSON.parse(stored?.regions ?? 'null'), ['DK-IB']);
    assert.deepEqual(await englishOn(page, '#panel', lang), [], 'no English in My places, push on');
    await noSeriousViolations(page, `${locale} My places, push on`);

    // Test my alerts: the server sends this device a TEST push; the service worker shows it as a real alert is shown
    // (stays until touched, the long vibration), in the resident's language, and tells the page it arrived.
    await page.click('#test-alerts');
    await page.waitForSelector('#alert.exercise #alert-title');
    const testPush = await received(service, path, 1);
    const testText = device.decrypt(testPush.body);
    assert.equal((JSON.parse(testText) as { kind: string }).kind, 'test');
    const shownTest = await deliver(cdp, page, registrationId, testText, (list) => list.find((n) => n.tag === 'refuge-test'));
    assert.deepEqual({ ...shownTest, title: undefined }, { title: undefined, body: DICTS[lang]['ptest.sw.body'], tag: 'refuge-test', requireInteraction: true, vibrate: LONG });
    // The page's title already says "test" in the resident's language ("בדיקה - ...", "اختبار - ..."): no English
    // mark before it (web/sw/sw.js testNotification once put "TEST: " there).
    assert.equal(shownTest.title, DICTS[lang]['ptest.sw.title']);
    await page.waitForSelector('#test-result [data-check="notification"].ok', { timeout: 30_000 });
    assert.equal((await page.textContent('#test-result [data-check="notification"]'))?.replace(/^✔ /, ''), DICTS[lang]['test.notified']);
    assert.deepEqual(await englishOn(page, '#panel', lang), [], 'no English in the test result');
    await noSeriousViolations(page, `${locale} Test my alerts, notification shown`);
    await page.click('#alert button.end-test');
    await page.waitForSelector('#alert', { state: 'hidden' });

    // A real alert for Indre By: pushed at once (high urgency), shown in the resident's language, kept on screen
    // until touched, with the long vibration.
    const tag = String(Date.now());
    const id = await issue(tag);
    t.after(() => end(id).catch(() => undefined));
    const alertPush = await received(service, path, 2);
    assert.equal(alertPush.headers.urgency, 'high');
    const alertText = device.decrypt(alertPush.body);
    assert.equal((JSON.parse(alertText) as { id: string }).id, id);
    const shownAlert = await deliver(cdp, page, registrationId, alertText, (list) => list.find((n) => n.tag === `refuge-${id}`));
    assert.deepEqual(shownAlert, { title: `${TEXT[lang].headline} ${tag}`, body: TEXT[lang].instruction, tag: `refuge-${id}`, requireInteraction: true, vibrate: LONG });
    // The open page shows it too (over the live stream), in the same language.
    await page.waitForSelector('#alert.actual h2#alert-title', { timeout: 10_000 });
    assert.equal(await page.textContent('#alert-title'), `${TEXT[lang].headline} ${tag}`);

    // The false alarm: the same notification replaced, in the resident's language, no longer kept on screen.
    await end(id);
    const endPush = await received(service, path, 3);
    const endText = device.decrypt(endPush.body);
    const shownEnd = await deliver(cdp, page, registrationId, endText, (list) => list.find((n) => n.tag === `refuge-${id}` && n.title !== shownAlert.title));
    assert.equal(shownEnd.requireInteraction, false);
    assert.equal(shownEnd.title.includes(`${TEXT[lang].headline} ${tag}`), true, `the false alarm names the alert in the resident's language: ${shownEnd.title}`);
    if (lang !== 'en') assert.deepEqual([shownEnd.title, shownEnd.body].join(' ').split(`${TEXT[lang].headline} ${tag}`).join(' ').match(/[A-Za-z]{2,}/g) ?? [], [], `no English in the false alarm's notification: ${shownEnd.title} / ${shownEnd.body}`);
    assert.deepEqual((await notifications(page)).filter((n) => n.tag === `refuge-${id}`).length, 1, 'one notification for the alert');
    await page.waitForSelector('#alert.all-clear', { timeout: 10_000 });
    assert.deepEqual(await englishOn(page, '#alert', lang), [], 'no English on the false alarm screen');
    await noSeriousViolations(page, `${locale} the false alarm after a pushed alert`);
    await cdp.detach().catch(() => undefined);
  });
}
