// The public shelter card end to end (issue 14): entrance, floor, opening hours, key holder, the source's links, the
// operator's photo (lazy, with alt text) and the hand-off to navigation apps, on the real page in Chromium; and the
// console's editor for the card fields and photos.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { skipWithoutChromium, startApp, launchBrowser, chromiumAvailable, signIn, noSeriousViolations, type App, type Browser } from './harness.ts';

const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==', 'base64');
const AT = { lat: 55.67612, lon: 12.56843 };

let app: App;
let browser: Browser;
let id: string;

before(async () => {
  if (!chromiumAvailable()) return;
  app = await startApp(async (server) => {
    const s = await server.ctx.registry.create({
      name: 'Card (test) shelter', lat: AT.lat, lon: AT.lon, capacity: 120, kind: 'underground-parking', stepFree: true, access: 'key-holder',
      keyHolderPhone: '+45 12 34 56 78', entrance: 'Ramp from the square, door left of the barrier', floor: '-2', openingHours: 'Mo-Fr 08:00-18:00',
      links: [{ label: 'Waze', url: 'https://www.waze.com/ul?ll=55.67612,12.56843&navigate=yes' }, { label: null, url: 'https://example.org/shelters/card' }],
      status: 'open',
    }, 'e2e');
    id = s.id;
    const token = await server.ctx.accounts.createApiToken('olga');
    const res = await fetch(`${server.url}/api/shelters/${id}/photos`, { method: 'POST', body: PNG, headers: { authorization: `Bearer ${token}`, 'content-type': 'image/jpeg' } });
    assert.equal(res.status, 201, await res.text());
  });
  browser = await launchBrowser({ geolocation: { latitude: AT.lat, longitude: AT.lon } });
});

after(async () => {
  await browser?.close();
  await app?.close();
});

test('the public card shows entrance, floor, hours, key holder, photo, links, and hands the way to navigation apps', async (t) => {
  if (skipWithoutChromium(t)) return;
  const page = await browser.context.newPage();
  await page.goto(app.url + '/');
  await page.waitForSelector('body[data-ready=true]');
  // Close in on the shelter so no other dot lies under the tap, then tap it.
  const point = await page.evaluate(async ([lon, lat]) => {
    const m = (window as unknown as { refugeMap: { map: { jumpTo: (o: unknown) => void; project: (c: [number, number]) => { x: number; y: number }; once: (e: string, f: () => void) => void; triggerRepaint: () => void } } }).refugeMap.map;
    await new Promise<void>((resolve) => { m.once('idle', () => resolve()); m.jumpTo({ center: [lon, lat], zoom: 19 }); m.triggerRepaint(); });
    return m.project([lon, lat]);
  }, [AT.lon, AT.lat] as [number, number]);
  const box = (await page.locator('#map').boundingBox())!;
  await page.mouse.click(box.x + point.x, box.y + point.y);
  await page.waitForSelector(`.card[data-id="${id}"]`);
  const card = await page.textContent('.card');
  assert.match(card ?? '', /Ramp from the square, door left of the barrier/);
  assert.match(card ?? '', /-2/);
  assert.match(card ?? '', /Mo-Fr 08:00-18:00/);
  assert.equal(await page.getAttribute('.card a[href^="tel:"]', 'href'), 'tel:+45 12 34 56 78');

  const img = page.locator('.card-photos img');
  assert.equal(await img.count(), 1);
  assert.equal(await img.getAttribute('loading'), 'lazy');
  assert.equal(await img.getAttribute('alt'), 'Photo 1 of Card (test) shelter');
  assert.match((await img.getAttribute('src'))!, new RegExp(`^/api/shelters/${id}/photos/[0-9a-f-]+$`));
  await img.scrollIntoViewIfNeeded();
  await page.waitForFunction(() => (document.querySelector('.card-photos img') as HTMLImageElement | null)?.naturalWidth === 1, null, { timeout: 10000 });

  const links = await page.$$eval('.card-links a', (els) => els.map((a) => ({ href: a.getAttribute('href'), text: a.firstChild?.textContent, rel: a.getAttribute('rel'), target: a.getAttribute('target') })));
  assert.deepEqual(links, [
    { href: 'https://www.waze.com/ul?ll=55.67612,12.56843&navigate=yes', text: 'Waze', rel: 'noopener noreferrer', target: '_blank' },
    { href: 'https://example.org/shelters/card', text: 'example.org', rel: 'noopener noreferrer', target: '_blank' },
  ]);

  const nav = await page.$$eval('.card-navigate a', (els) => els.map((a) => ({ app: a.getAttribute('data-app'), href: a.getAttribute('href'), rel: a.getAttribute('rel') })));
  assert.deepEqual(nav, [
    { app: 'geo', href: 'geo:55.67612,12.56843?q=55.67612,12.56843(Card%20%20test%20%20shelter)', rel: null },
    { app: 'google', href: 'https://www.google.com/maps/dir/?api=1&destination=55.67612,12.56843&travelmode=walking', rel: 'noopener noreferrer' },
    { app: 'apple', href: 'https://maps.apple.com/?daddr=55.67612,12.56843&dirflg=w', rel: 'noopener noreferrer' },
    { app: 'waze', href: 'https://waze.com/ul?ll=55.67612,12.56843&navigate=yes', rel: 'noopener noreferrer' },
  ]);
  assert.equal(await page.textContent('.card-navigate h3'), 'Navigate');
  await noSeriousViolations(page, 'shelter card');
  await page.close();
});

test('the console edits the card fields and adds and deletes photos', async (t) => {
  if (skipWithoutChromium(t)) return;
  const page = await browser.context.newPage();
  await signIn(page, app.url, 'olga');
  await page.goto(`${app.url}/console.html#/shelter/${encodeURIComponent(id)}`);
  await page.waitForSelector('#ed-entrance');
  assert.equal(await page.inputValue('#ed-floor'), '-2');
  assert.equal(await page.inputValue('#ed-links'), 'https://www.waze.com/ul?ll=55.67612,12.56843&navigate=yes Waze\nhttps://example.org/shelters/card');
  // A bad link is caught before anything is sent.
  await page.fill('#ed-links', 'javascript:alert(1) Bad');
  await page.click('form.grid button[type=submit]');
  await page.waitForSelector('.msg.err');
  assert.match((await page.textContent('.msg.err'))!, /Line 1: "javascript:alert\(1\)" is not a web address/);
  await page.fill('#ed-links', 'https://example.org/new Plan');
  await page.fill('#ed-floor', 'basement 2');
  await page.fill('#ed-hours', '24/7');
  await page.click('form.grid button[type=submit]');
  await page.waitForSelector('.msg.ok');
  const saved = app.server.ctx.registry.get(id)!;
  assert.equal(saved.floor, 'basement 2');
  assert.equal(saved.openingHours, '24/7');
  assert.deepEqual(saved.links, [{ label: 'Plan', url: 'https://example.org/new' }]);

  // Photos: one is there; upload a PNG named .jpg, then delete the first.
  assert.equal(await page.locator('.photos-list li[data-photo]').count(), 1);
  await page.setInputFiles('#ed-photo', { name: 'entrance.jpg', mimeType: 'image/jpeg', buffer: PNG });
  await page.click('.photo-upload button[type=submit]');
  await page.waitForFunction(() => document.querySelectorAll('.photos-list li[data-photo]').length === 2);
  assert.deepEqual(app.server.ctx.registry.get(id)!.photos!.map((p) => p.contentType), ['image/png', 'image/png']);
  // Not an image: refused with the server's reason.
  await page.setInputFiles('#ed-photo', { name: 'page.png', mimeType: 'image/png', buffer: Buffer.from('<html><script>alert(1)</script></html>') });
  await page.click('.photo-upload button[type=submit]');
  await page.waitForSelector('.photos-editor .msg.err');
  assert.match((await page.textContent('.photos-editor .msg.err'))!, /not a JPEG, PNG or WebP image/);
  await page.click('.photos-list li[data-photo] button');
  await page.waitForFunction(() => document.querySelectorAll('.photos-list li[data-photo]').length === 1);
  assert.equal(app.server.ctx.registry.get(id)!.photos!.length, 1);
  await noSeriousViolations(page, 'console shelter card editor');
  await page.close();
});
