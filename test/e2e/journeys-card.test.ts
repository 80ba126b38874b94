// Issue 14's shelter card on a phone without WebGL, in Hebrew and Arabic (shelter-card.test.ts runs it in English
// with the map): reached from the list that replaces the map, with its entrance, floor, hours, key holder, photo,
// the source's links and the hand-off to navigation apps, its labels translated and the card within the phone's width;
// an operator's English photo caption reads left to right under its photo and is its alt text.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { skipWithoutChromium, startApp, launchBrowser, chromiumAvailable, noSeriousViolations, type App } from './harness.ts';

const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==', 'base64');
const AT = { lat: 55.67612, lon: 12.56843 };
const PHONE = { width: 390, height: 844 };
const NO_WEBGL = ['--disable-webgl', '--disable-3d-apis'];
const SCRIPT = { he: /[\u0590-\u05FF]/, ar: /[\u0600-\u06FF]/ };
const CAPTION = 'Green door, left of the pharmacy';

let app: App;
let id: string;

before(async () => {
  if (!chromiumAvailable()) return;
  app = await startApp(async (server) => {
    const s = await server.ctx.registry.create({
      name: 'Card (test) shelter', lat: AT.lat, lon: AT.lon, capacity: 120, kind: 'underground-parking', stepFree: true, access: 'key-holder',
      keyHolderPhone: '+45 12 34 56 78', entrance: 'Ramp from the square, door left of the barrier', floor: '-2', openingHours: 'Mo-Fr 08:00-18:00',
      links: [{ label: 'Waze', url: 'https://www.waze.com/ul?ll=55.67612,12.56843&navigate=yes' }],
      status: 'open',
    }, 'e2e');
    id = s.id;
    const token = await server.ctx.accounts.createApiToken('olga');
    const res = await fetch(`${server.url}/api/shelters/${id}/photos`, { method: 'POST', body: PNG, headers: { authorization: `Bearer ${token}`, 'content-type': 'image/jpeg' } });
    assert.equal(res.status, 201, await res.text());
    // A second photo with an operator's caption in English: on a Hebrew or Arabic page it must still read left to right.
    const captioned = await fetch(`${server.url}/api/shelters/${id}/photos?caption=${encodeURIComponent(CAPTION)}`, { method: 'POST', body: PNG, headers: { authorization: `Bearer ${token}`, 'content-type': 'image/png' } });
    assert.equal(captioned.status, 201, await captioned.text());
  }, { shelters: false });
});

after(async () => {
  await app?.close();
});

for (const lang of ['he', 'ar'] as const) {
  test(`${lang} phone without WebGL: the shelter card from the list, translated, within the screen, with the navigation hand-off`, async (t) => {
    if (skipWithoutChromium(t)) return;
    const browser = await launchBrowser({ viewport: PHONE, locale: lang === 'he' ? 'he-IL' : 'ar-EG', geolocation: { latitude: AT.lat, longitude: AT.lon }, args: NO_WEBGL });
    t.after(() => browser.close());
    const page = await browser.context.newPage();
    await page.goto(`${app.url}/?lang=${lang}`);
    await page.waitForSelector('body[data-ready=true]');
    assert.equal(await page.evaluate(() => document.body.classList.contains('no-map')), true);
    await page.click('#find');
    await page.waitForSelector(`.results .result[data-id="${id}"]`);
    await page.click(`.results .result[data-id="${id}"] button.link`);
    await page.waitForSelector(`.card[data-id="${id}"]`);
    const card = (await page.textContent('.card')) ?? '';
    assert.match(card, /Ramp from the square, door left of the barrier/);
    assert.match(card, /Mo-Fr 08:00-18:00/);
    assert.equal(await page.getAttribute('.card a[href^="tel:"]', 'href'), 'tel:+45 12 34 56 78');
    assert.match((await page.getAttribute('.card-photos img', 'alt')) ?? '', SCRIPT[lang], 'the photo is described in the page\'s language');
    // The captioned photo: its caption under it and as its alt text, left to right inside the right-to-left page.
    await page.waitForFunction((text) => Array.from(document.querySelectorAll('.card-photos figcaption')).some((f) => f.textContent === text && !(f as HTMLElement).hidden), CAPTION, { timeout: 20000 });
    const figure = await page.$$eval('.card-photos figure', (els, text) => els.filter((f) => f.querySelector('figcaption')?.textContent === text).map((f) => ({
      alt: f.querySelector('img')?.getAttribute('alt'), dir: f.querySelector('figcaption')?.getAttribute('dir'), direction: getComputedStyle(f.querySelector('figcaption')!).direction,
    })), CAPTION);
    assert.deepEqual(figure, [{ alt: CAPTION, dir: 'auto', direction: 'ltr' }]);
    assert.equal(await page.evaluate(() => getComputedStyle(document.body).direction), 'rtl');
    assert.match((await page.textContent('.card-navigate h3')) ?? '', SCRIPT[lang]);
    const apps = await page.$$eval('.card-navigate a', (els) => els.map((a) => a.getAttribute('data-app')));
    assert.deepEqual(apps, ['geo', 'google', 'apple', 'waze']);
    assert.equal(await page.getAttribute('.card-links a', 'href'), 'https://www.waze.com/ul?ll=55.67612,12.56843&navigate=yes');
    const box = (await page.locator('.card').boundingBox())!;
    assert.ok(box.x >= 0 && box.x + box.width <= PHONE.width, `the card is within the phone's width: ${JSON.stringify(box)}`);
    await noSeriousViolations(page, `${lang} shelter card without a map`);
  });
}
