// The operators' console additions in Chromium: assigning and releasing wardens from the shelter screen, and the
// warden's Mark full prompt on a phone, on screen without scrolling.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { skipWithoutChromium, startApp, launchBrowser, chromiumAvailable, signIn, noSeriousViolations, type App, type Browser } from './harness.ts';

let app: App;
let desk: Browser;
let phone: Browser;
const ids = { a: '', b: '' };

before(async () => {
  if (!chromiumAvailable()) return;
  app = await startApp(async (server) => {
    const reg = server.ctx.registry;
    ids.a = (await reg.create({ name: 'Aaa bunker', lat: 55.6765, lon: 12.5683, capacity: 30 }, 'e2e')).id;
    ids.b = (await reg.create({ name: 'Bbb bunker', lat: 55.675, lon: 12.569, capacity: 3 }, 'e2e')).id;
    await server.ctx.accounts.createUser('wanda', 'warden', 'wanda-warden-pass-1');
  }, { shelters: false });
  desk = await launchBrowser({ viewport: { width: 1280, height: 900 } });
  phone = await launchBrowser({ viewport: { width: 390, height: 844 } });
});

after(async () => {
  await desk?.close();
  await phone?.close();
  await app?.close();
});

test('an operator assigns a warden on the shelter screen and releases them; the warden sees it', async (t) => {
  if (skipWithoutChromium(t)) return;
  const reg = app.server.ctx.registry;
  const page = await desk.context.newPage();
  await signIn(page, app.url, 'olga');
  await page.goto(`${app.url}/console.html#/shelter/${ids.a}`);
  await page.waitForSelector('.wardens-editor h3');
  assert.match(await page.textContent('.wardens-editor') ?? '', /No warden is assigned to this shelter/);
  const options = await page.$$eval('#wdn-pick option', (os) => os.map((o) => (o as HTMLOptionElement).value));
  assert.deepEqual(options, ['wanda', 'wendy'], 'the warden accounts are offered, nobody else');
  await page.selectOption('#wdn-pick', 'wendy');
  await page.click('.wardens-assign button[type=submit]');
  await page.waitForSelector('.wardens-list li[data-warden="wendy"]');
  assert.deepEqual(reg.wardens(ids.a), ['wendy']);
  assert.match(await page.textContent('.wardens-editor [role=status]') ?? '', /wendy now looks after this shelter/);
  assert.deepEqual(await page.$$eval('#wdn-pick option', (os) => os.map((o) => (o as HTMLOptionElement).value)), ['wanda']);
  await noSeriousViolations(page, 'shelter screen, wardens');

  // The warden's own screen lists it.
  const w = await phone.context.newPage();
  await signIn(w, app.url, 'wendy');
  await w.waitForSelector(`section.warden-shelter[data-shelter="${ids.a}"]`);
  await w.close();

  await page.click('.wardens-list li[data-warden="wendy"] button.release');
  await page.waitForSelector('.wardens-none');
  assert.deepEqual(reg.wardens(ids.a), []);
  assert.match(await page.textContent('.wardens-editor [role=status]') ?? '', /wendy no longer looks after this shelter/);

  // Approvers see who looks after it, without the controls.
  await reg.setWarden(ids.a, 'wanda', true, 'olga');
  await signIn(page, app.url, 'avi');
  await page.goto(`${app.url}/console.html#/shelter/${ids.a}`);
  await page.waitForSelector('.wardens-list li[data-warden="wanda"]');
  assert.equal(await page.locator('.wardens-editor button').count(), 0);
  assert.equal(await page.locator('#wdn-pick').count(), 0);
  await page.close();
});

test('on a phone the warden sees the Mark full prompt without scrolling after saving a full count', async (t) => {
  if (skipWithoutChromium(t)) return;
  const reg = app.server.ctx.registry;
  await reg.setWarden(ids.a, 'wendy', true, 'olga');
  await reg.setWarden(ids.b, 'wendy', true, 'olga');
  await reg.setStatus(ids.b, 'open', 'olga');
  const page = await phone.context.newPage();
  await signIn(page, app.url, 'wendy');
  // The second card, further down the page: the warden scrolls to it to type and save (as a click does).
  const card = `section.warden-shelter[data-shelter="${ids.b}"]`;
  await page.waitForSelector(card);
  await page.fill(`${card} input[name=occupancy]`, '3');
  await page.click(`${card} form button[type=submit]`);
  await page.waitForSelector(`${card} .mark-full`);
  const box = (await page.locator(`${card} .mark-full`).boundingBox())!;
  const viewport = page.viewportSize()!;
  assert.ok(box.y >= 0 && box.y + box.height <= viewport.height, `Mark full is on screen (${JSON.stringify(box)} in ${viewport.height} px)`);
  assert.ok(box.height >= 44, 'a thumb-sized button');
  // The prompt text is on screen too, above the button.
  const prompt = (await page.locator(`${card} .w-msg .msg.warn p`).boundingBox())!;
  assert.ok(prompt.y >= 0, 'the prompt text is on screen');
  await page.click(`${card} .mark-full`);
  await page.waitForSelector(`${card} button[data-status="full"][aria-pressed="true"]`);
  assert.equal(reg.get(ids.b)!.status, 'full');
  await noSeriousViolations(page, 'my shelters on a phone, marked full');
  await page.close();
});
