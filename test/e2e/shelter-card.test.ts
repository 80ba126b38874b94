// The public shelter card end to end (issue 14): entrance, floor, opening hours, key holder, the source's links, the
// operator's photo (lazy, with alt text) and the hand-off to navigation apps, on the real page in Chromium; and the
// console's editor for the card fields and photos; photo captions set by an operator on a phone, seen by a resident
// on a phone under the photo and as its alt text.
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
  await page.click('.photos-list li[data-photo] button[aria-label="Delete photo 1"]');
  await page.waitForFunction(() => document.querySelectorAll('.photos-list li[data-photo]').length === 1);
  assert.equal(app.server.ctx.registry.get(id)!.photos!.length, 1);
  await noSeriousViolations(page, 'console shelter card editor');
  await page.close();
});

const PHONE = { width: 390, height: 844 };
const NO_WEBGL = ['--disable-webgl', '--disable-3d-apis'];

test('on a phone, an operator captions photos in the console; a resident on a phone sees each caption under its photo and as its alt text', async (t) => {
  if (skipWithoutChromium(t)) return;
  const english = 'The entrance is the green door left of the pharmacy';
  const hebrew = 'הכניסה היא הדלת הירוקה משמאל לבית המרקחת';
  // The operator, on a phone.
  const staff = await launchBrowser({ viewport: PHONE });
  t.after(() => staff.close());
  const op = await staff.context.newPage();
  await signIn(op, app.url, 'olga');
  await op.goto(`${app.url}/console.html#/shelter/${encodeURIComponent(id)}`);
  await op.waitForSelector('.photos-list li[data-photo]');
  const before = await op.locator('.photos-list li[data-photo]').count();
  assert.ok(before >= 1);
  // A photo without a caption says that it tells a blind resident nothing (the nudge), and the field points to it.
  assert.equal(app.server.ctx.registry.get(id)!.photos![0].caption, null);
  assert.match((await op.textContent('.photos-list li[data-photo] .caption-missing'))!, /No caption yet/);
  assert.equal(await op.getAttribute('#ed-caption-0', 'aria-describedby'), 'ed-caption-missing-0');
  assert.equal(await op.getAttribute('#ed-caption-0', 'dir'), 'auto');
  // The first photo gets a Hebrew caption; a new photo is uploaded with an English one.
  await op.fill('#ed-caption-0', `  ${hebrew} `);
  await op.click('.photos-list li[data-photo] form.photo-caption button[type=submit]');
  await op.waitForSelector('.photos-editor .msg.ok');
  assert.equal(app.server.ctx.registry.get(id)!.photos![0].caption, hebrew, 'saved, trimmed');
  await op.waitForFunction(() => !document.querySelector('.photos-list li[data-photo] .caption-missing'));
  await op.setInputFiles('#ed-photo', { name: 'door.png', mimeType: 'image/png', buffer: PNG });
  await op.fill('#ed-photo-caption', english);
  await op.click('.photo-upload button[type=submit]');
  await op.waitForFunction((n) => document.querySelectorAll('.photos-list li[data-photo]').length === n, before + 1);
  const photos = app.server.ctx.registry.get(id)!.photos!;
  assert.deepEqual(photos.map((p) => p.caption), [hebrew, ...Array(before - 1).fill(null), english]);
  assert.equal(await op.inputValue(`#ed-caption-${before}`), english);
  // The English photo is moved first (the order the resident sees).
  await op.click(`.photos-list li[data-photo="${photos[before].id}"] .move-earlier`);
  await op.waitForFunction((pid) => document.querySelector('.photos-list li[data-photo]')?.getAttribute('data-photo') === pid, photos[before].id);
  if (before === 1) assert.deepEqual(app.server.ctx.registry.get(id)!.photos!.map((p) => p.caption), [english, hebrew]);
  // The editor fits the phone: no caption field runs off the screen.
  for (const box of await op.$$eval('.photos-editor input[name=caption]', (els) => els.map((e) => e.getBoundingClientRect().right))) {
    assert.ok(box <= PHONE.width, `caption field within the phone's width (${box})`);
  }
  // Bad input is refused with the server's reason, never a 500, and nothing changes.
  const version = app.server.ctx.registry.get(id)!.version;
  await op.evaluate(() => { (document.querySelector('#ed-caption-0') as HTMLInputElement).removeAttribute('maxlength'); });
  await op.fill('#ed-caption-0', 'x'.repeat(301));
  await op.click('.photos-list li[data-photo] form.photo-caption button[type=submit]');
  await op.waitForSelector('.photos-editor .msg.err');
  assert.match((await op.textContent('.photos-editor .msg.err'))!, /at most 300 characters/);
  assert.equal(app.server.ctx.registry.get(id)!.version, version);
  await noSeriousViolations(op, 'console photo captions on a phone');

  // The resident, on a phone without WebGL (the list stands in for the map), opens the card.
  const resident = await launchBrowser({ viewport: PHONE, geolocation: { latitude: AT.lat, longitude: AT.lon }, args: NO_WEBGL });
  t.after(() => resident.close());
  const page = await resident.context.newPage();
  await page.goto(app.url + '/');
  await page.waitForSelector('body[data-ready=true]');
  await page.click('#find');
  await page.waitForSelector(`.results .result[data-id="${id}"]`);
  await page.click(`.results .result[data-id="${id}"] button.link`);
  await page.waitForSelector(`.card[data-id="${id}"]`);
  // Each caption under its photo and as its alt text (the map's record may carry only URLs: the card asks the server).
  await page.waitForFunction((text) => Array.from(document.querySelectorAll('.card-photos figcaption')).some((f) => f.textContent === text), hebrew, { timeout: 20000 });
  const figures = await page.$$eval('.card-photos figure', (els) => els.map((f) => ({
    alt: f.querySelector('img')?.getAttribute('alt'), caption: f.querySelector('figcaption')?.textContent, hidden: (f.querySelector('figcaption') as HTMLElement | null)?.hidden,
    dir: f.querySelector('figcaption')?.getAttribute('dir'), direction: getComputedStyle(f.querySelector('figcaption')!).direction,
  })));
  const seen = figures.filter((f) => !f.hidden);
  assert.deepEqual(seen.map((f) => [f.caption, f.alt]), [[english, english], [hebrew, hebrew]].slice(0, seen.length));
  assert.ok(seen.length === 2, JSON.stringify(figures));
  assert.deepEqual(seen.map((f) => [f.dir, f.direction]), [['auto', 'ltr'], ['auto', 'rtl']], 'the Hebrew caption reads right to left on an English page');
  // A photo without a caption keeps the generated text, and shows no empty caption.
  for (const f of figures.filter((x) => x.hidden)) assert.match(f.alt ?? '', /^Photo \d+ of Card \(test\) shelter$/);
  const card = (await page.locator('.card').boundingBox())!;
  assert.ok(card.x >= 0 && card.x + card.width <= PHONE.width, `the card is within the phone's width: ${JSON.stringify(card)}`);
  await noSeriousViolations(page, 'shelter card with photo captions on a phone');
});
