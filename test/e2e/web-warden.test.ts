// The warden's "My shelters" screen end to end: a warden signs in and lands on it, opens their shelter, sets the
// people count with the stepper, is offered "Mark full" at capacity (the status is not changed for them), marks it
// full; the public card then shows "N of CAPACITY places taken, reported HH:MM", and "Out of date" once the count is
// older than 6 hours. An operator sets the count from the registry's shelter page. axe-core on every state.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { noSeriousViolations, skipWithoutChromium, startApp, launchBrowser, chromiumAvailable, axe, describeViolations, signIn, type App, type Browser } from './harness.ts';

let app: App;
let staff: Browser;
let resident: Browser;

before(async () => {
  if (!chromiumAvailable()) return;
  app = await startApp();
  staff = await launchBrowser({ viewport: { width: 1280, height: 900 } });
  resident = await launchBrowser();
});

after(async () => {
  await staff?.close();
  await resident?.close();
  await app?.close();
});

/** The shelter drawn nearest the middle of the public map, and where it is on screen. */
async function middleShelter(page: Page): Promise<{ id: string; x: number; y: number }> {
  return page.evaluate(() => {
    const m = (window as unknown as { refugeMap: { map: { queryRenderedFeatures: (o: unknown) => Array<{ properties: { id: string }; geometry: { coordinates: [number, number] } }>; project: (c: [number, number]) => { x: number; y: number } } } }).refugeMap.map;
    const c = (document.getElementById('map') as HTMLElement).getBoundingClientRect();
    const all = m.queryRenderedFeatures({ layers: ['shelters'] }).map((f) => ({ id: f.properties.id, ...m.project(f.geometry.coordinates) }));
    all.sort((a, b) => Math.hypot(a.x - c.width / 2, a.y - c.height / 2) - Math.hypot(b.x - c.width / 2, b.y - c.height / 2));
    return all[0];
  });
}

async function openCard(page: Page, id: string): Promise<string> {
  await page.goto(app.url + '/');
  await page.waitForSelector('body[data-ready=true]');
  const hit = await page.evaluate((wanted) => {
    const m = (window as unknown as { refugeMap: { map: { queryRenderedFeatures: (o: unknown) => Array<{ properties: { id: string }; geometry: { coordinates: [number, number] } }>; project: (c: [number, number]) => { x: number; y: number } } } }).refugeMap.map;
    const f = m.queryRenderedFeatures({ layers: ['shelters'] }).find((x) => x.properties.id === wanted);
    return f ? m.project(f.geometry.coordinates) : null;
  }, id);
  assert.ok(hit, 'the shelter is drawn on the map');
  const box = (await page.locator('#map').boundingBox())!;
  await page.mouse.click(box.x + hit.x, box.y + hit.y);
  await page.waitForSelector('.card');
  assert.equal(await page.textContent('#panel h2, .panel h2'), app.server.ctx.registry.get(id)!.name);
  return (await page.textContent('.card')) ?? '';
}

test('a warden lands on My shelters, opens the shelter, counts people, is offered Mark full, and the public card shows it', async (t) => {
  if (skipWithoutChromium(t)) return;
  const reg = app.server.ctx.registry;
  const pub = await resident.context.newPage();
  await pub.goto(app.url + '/');
  await pub.waitForSelector('body[data-ready=true]');
  const { id } = await middleShelter(pub);
  // A known, small capacity and a closed shelter, assigned to wendy; a second shelter of hers shows the list.
  await reg.patch(id, null, { capacity: 40, status: 'closed' }, 'olga');
  await reg.setWarden(id, 'wendy', true, 'olga');
  const other = reg.all().find((s) => s.id !== id && s.capacity !== null)!;
  await reg.setWarden(other.id, 'wendy', true, 'olga');
  const before = reg.get(id)!;

  const page = await staff.context.newPage();
  await signIn(page, app.url, 'wendy');
  const card = `section.warden-shelter[data-shelter="${id}"]`;
  await page.waitForSelector(card);
  assert.equal(new URL(page.url()).hash, '#/my-shelters', 'wardens land on their shelters');
  assert.equal(await page.locator('section.warden-shelter').count(), 2);
  assert.equal(await page.getAttribute('#nav a[href="#/my-shelters"]', 'aria-current'), 'page');
  assert.match((await page.textContent(`${card} .occupancy`)) ?? '', /No count reported yet/);
  assert.equal(await page.getAttribute(`${card} button[data-status="closed"]`, 'aria-pressed'), 'true');
  await noSeriousViolations(page, 'my shelters');

  // Open it (keyboard: the big buttons are real buttons).
  await page.focus(`${card} button[data-status="open"]`);
  await page.keyboard.press('Enter');
  await page.waitForSelector(`${card} button[data-status="open"][aria-pressed="true"]`);
  assert.equal(reg.get(id)!.status, 'open');
  assert.equal(reg.get(id)!.statusSetBy, 'wendy');

  // A bad count is refused in the page, naming what is wrong, and nothing is sent.
  const label = (await page.textContent(`${card} label`))!;
  assert.equal(label, 'People inside now');
  await page.fill(`${card} input[name=occupancy]`, '-3');
  await page.click(`${card} form button[type=submit]`);
  await page.waitForSelector(`${card} input[aria-invalid="true"]`);
  assert.match((await page.textContent(`${card} .hint`)) ?? '', /whole number/);
  assert.equal(reg.get(id)!.occupancy, null);

  // 38 typed, then + twice with the stepper: 40 of 40. The status stays open; the screen offers Mark full.
  await page.fill(`${card} input[name=occupancy]`, '38');
  await page.click(`${card} button.step-up`);
  await page.click(`${card} button.step-up`);
  assert.equal(await page.inputValue(`${card} input[name=occupancy]`), '40');
  await page.click(`${card} form button[type=submit]`);
  await page.waitForSelector(`${card} .mark-full`);
  assert.equal(reg.get(id)!.occupancy, 40);
  assert.equal(reg.get(id)!.occupancyBy, 'wendy');
  assert.equal(reg.get(id)!.status, 'open', 'reaching the capacity does not change the status by itself');
  assert.match((await page.textContent(`${card} .w-msg`)) ?? '', /Every place is taken \(40 of 40\)/);
  assert.match((await page.textContent(`${card} .occupancy`)) ?? '', /^40 of 40 places taken, reported \d\d:\d\d/);
  await noSeriousViolations(page, 'my shelters, at capacity');

  await page.click(`${card} .mark-full`);
  await page.waitForSelector(`${card} button[data-status="full"][aria-pressed="true"]`);
  assert.equal(reg.get(id)!.status, 'full');
  assert.equal(await page.locator(`${card} .mark-full`).count(), 0);
  // Nothing else about the shelter changed.
  const after = reg.get(id)!;
  for (const k of ['name', 'capacity', 'lat', 'lon', 'kind', 'access', 'lastVerifiedAt', 'source', 'sourceId'] as const) assert.deepEqual(after[k], before[k], k);
  const history = await reg.history(id);
  assert.deepEqual(history.slice(-3).map((h) => [h.action, h.actor]), [['status', 'wendy'], ['occupancy', 'wendy'], ['occupancy', 'wendy']]);

  // Over capacity is accepted and said.
  await page.fill(`${card} input[name=occupancy]`, '46');
  await page.click(`${card} form button[type=submit]`);
  await page.waitForSelector(`${card} .w-msg .msg.warn`);
  assert.match((await page.textContent(`${card} .w-msg`)) ?? '', /More people than places: 46 in a shelter for 40/);
  await page.fill(`${card} input[name=occupancy]`, '40');
  await page.click(`${card} form button[type=submit]`);
  await page.waitForFunction((sel) => document.querySelector(sel)?.textContent?.includes('Saved: 40'), `${card} .w-msg`);
  await page.close();

  // The resident's card shows the count against the capacity and when it was reported.
  const text = await openCard(pub, id);
  const at = new Date(reg.get(id)!.occupancyAt!);
  const hhmm = `${String(at.getHours()).padStart(2, '0')}:${String(at.getMinutes()).padStart(2, '0')}`;
  assert.ok(text.includes(`40 of 40 places taken, reported ${hhmm}`), text);
  assert.doesNotMatch(text, /Out of date/);
  await noSeriousViolations(pub, 'public card with occupancy');

  // Seven hours later the same count is shown as out of date, not dropped.
  await pub.clock.setFixedTime(new Date(at.getTime() + 7 * 3_600_000));
  const later = await openCard(pub, id);
  assert.match(later, /40 of 40 places taken, reported/);
  assert.match(later, /Out of date: more than 6 hours old/);
  await noSeriousViolations(pub, 'public card with a stale count');
  await pub.close();
});

test('an operator sets the count on the registry shelter page; a later edit there still saves', async (t) => {
  if (skipWithoutChromium(t)) return;
  const reg = app.server.ctx.registry;
  const target = reg.all().find((s) => s.capacity !== null && s.capacity > 10 && s.occupancy === null)!;
  const page = await staff.context.newPage();
  await signIn(page, app.url, 'olga');
  assert.equal(new URL(page.url()).hash, '#/registry', 'operators land on the registry');
  assert.equal(await page.locator('#nav a[href="#/my-shelters"]').count(), 0);
  await page.goto(`${app.url}/console.html#/shelter/${encodeURIComponent(target.id)}`);
  await page.waitForSelector('#ed-occupancy');
  await page.fill('#ed-occupancy', String(target.capacity! + 5));
  await page.click('form.occupancy-form button[type=submit]');
  await page.waitForSelector('.occupancy-editor .mark-full');
  assert.equal(reg.get(target.id)!.occupancy, target.capacity! + 5);
  assert.equal(reg.get(target.id)!.occupancyBy, 'olga');
  assert.match((await page.textContent('.occupancy-editor')) ?? '', /More people than places/);
  await noSeriousViolations(page, 'shelter page with occupancy');
  // The page took the new version: saving the form afterwards is not a conflict with itself.
  await page.fill('#ed-capacity', String(target.capacity! + 10));
  await page.click('form.grid button[type=submit]');
  await page.waitForSelector('.msg.ok:has-text("Saved (version")');
  assert.equal(reg.get(target.id)!.capacity, target.capacity! + 10);
  await page.waitForSelector('section table td:has-text("occupancy")');
  await page.close();
});
