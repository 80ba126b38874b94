// Resident reports in Chromium on a phone viewport: an undecided "locked" report shows as a warning in the result
// list and on the card and the shelter is ranked after an unreported one; a resident adds a note to a report; once an
// operator dismisses, the shelter is first again without a warning.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { skipWithoutChromium, startApp, launchBrowser, chromiumAvailable, axe, describeViolations, type App, type Browser } from './harness.ts';

const HERE = { latitude: 55.6761, longitude: 12.5683 }; // Copenhagen, Rådhuspladsen
const ids = { near: '', far: '' };

let app: App;
let browser: Browser;

before(async () => {
  if (!chromiumAvailable()) return;
  // Two shelters only, so the list shows both: one about 90 m north, one about 250 m south.
  app = await startApp(async (server) => {
    const reg = server.ctx.registry;
    ids.near = (await reg.create({ name: 'Near bunker', lat: HERE.latitude + 0.0008, lon: HERE.longitude, capacity: 80 }, 'e2e')).id;
    ids.far = (await reg.create({ name: 'Far bunker', lat: HERE.latitude - 0.0022, lon: HERE.longitude, capacity: 80 }, 'e2e')).id;
    await reg.setStatus(ids.near, 'open', 'e2e');
    await reg.setStatus(ids.far, 'open', 'e2e');
  }, { shelters: false });
  browser = await launchBrowser({ geolocation: HERE, viewport: { width: 390, height: 844 } });
});

after(async () => {
  await browser?.close();
  await app?.close();
});

const listed = (page: import('playwright-core').Page) =>
  page.$$eval('.results .result', (els) => els.map((e) => ({ id: e.getAttribute('data-id'), warning: e.querySelector('.report-warning')?.textContent ?? null })));

test('an undecided locked report warns in the list and on the card, lowers the rank; a note goes with a report', async (t) => {
  if (skipWithoutChromium(t)) return;
  const reports = app.server.ctx.reports!;
  const page = await browser.context.newPage();
  await page.goto(app.url + '/');
  await page.waitForSelector('body[data-ready=true]');

  // Before any report the near bunker comes first, without a warning.
  await page.click('#find');
  await page.waitForSelector('.results .result');
  let items = await listed(page);
  assert.deepEqual(items.map((i) => i.id), [ids.near, ids.far]);
  assert.ok(items.every((i) => i.warning === null));

  // A neighbour reports it locked: a new search ranks it second, with the warning.
  const first = await reports.submit({ shelterId: ids.near, kind: 'locked' }, 'neighbour');
  await page.click('#find');
  await page.waitForFunction((far) => document.querySelector('.results .result')?.getAttribute('data-id') === far, ids.far);
  items = await listed(page);
  assert.deepEqual(items.map((i) => i.id), [ids.far, ids.near]);
  assert.equal(items[0].warning, null);
  assert.match(items[1].warning ?? '', /Residents report it locked \(1\); not yet checked by an operator/);

  // The card says the same, and the resident adds a report with a note.
  await page.click(`.results .result[data-id="${ids.near}"] button.link`);
  await page.waitForSelector(`.card[data-id="${ids.near}"]`);
  assert.match(await page.textContent('.card-warning') ?? '', /locked \(1\)/);
  await page.fill('fieldset.report textarea', 'Chain on the door, nobody answers');
  await page.click('fieldset.report button:has-text("It is closed")');
  await page.waitForSelector('.report-status:has-text("Thank you")');
  await page.waitForFunction(() => /locked, closed \(2\)/.test(document.querySelector('.card-warning')?.textContent ?? ''));
  const queued = (await reports.queue()).find((q) => q.shelterId === ids.near)!;
  assert.deepEqual(queued.reports.map((r) => [r.kind, r.note]), [['locked', null], ['closed', 'Chain on the door, nobody answers']]);
  assert.equal(await page.inputValue('fieldset.report textarea'), '', 'the note is cleared once sent');
  const violations = await axe(page);
  assert.deepEqual(violations, [], describeViolations(violations));

  // The operator dismisses both: the near bunker is first again, unmarked.
  await reports.dismiss(first.report.id, 'olga');
  await reports.dismiss(queued.reports[1].id, 'olga');
  await page.click('#find');
  await page.waitForFunction((near) => document.querySelector('.results .result')?.getAttribute('data-id') === near, ids.near);
  items = await listed(page);
  assert.deepEqual(items.map((i) => i.id), [ids.near, ids.far]);
  assert.ok(items.every((i) => i.warning === null));
  await page.close();
});

test('the warning and the note field are translated (Hebrew, right to left)', async (t) => {
  if (skipWithoutChromium(t)) return;
  await app.server.ctx.reports!.submit({ shelterId: ids.far, kind: 'missing' }, 'someone-else');
  const he = await launchBrowser({ geolocation: HERE, locale: 'he-IL', viewport: { width: 390, height: 844 } });
  try {
    const page = await he.context.newPage();
    await page.goto(app.url + '/');
    await page.waitForSelector('body[data-ready=true]');
    assert.equal(await page.getAttribute('html', 'dir'), 'rtl');
    await page.click('#find');
    await page.waitForSelector(`.results .result[data-id="${ids.far}"] .report-warning`);
    assert.match(await page.textContent(`.results .result[data-id="${ids.far}"] .report-warning`) ?? '', /תושבים מדווחים: לא קיים/);
    await page.click(`.results .result[data-id="${ids.far}"] button.link`);
    await page.waitForSelector('fieldset.report textarea');
    assert.match(await page.textContent('label.report-note') ?? '', /הערה/);
    const violations = await axe(page);
    assert.deepEqual(violations, [], describeViolations(violations));
  } finally {
    await he.close();
  }
});
