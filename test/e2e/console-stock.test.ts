// The stock console end to end in a real Chromium: an operator adds a depot and an item, receives and issues stock,
// refused over-issue shows the server's reason, a transfer is received, a count is posted, the reports show and link
// their CSV; a warden sees balances but no forms; axe-core on every screen, in English and in Hebrew (right to left).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { noSeriousViolations, skipWithoutChromium, startApp, launchBrowser, chromiumAvailable, signIn, type App, type Browser } from './harness.ts';
import type { StockService } from '../../src/stock/index.ts';

let app: App;
let browser: Browser;

before(async () => {
  if (!chromiumAvailable()) return;
  app = await startApp(undefined, { shelters: false });
  browser = await launchBrowser({ viewport: { width: 1280, height: 900 } });
});

after(async () => {
  await browser?.close();
  await app?.close();
});

function stock(): StockService {
  return app.server.ctx.stock!.service;
}

async function submit(page: Page, formHeading: string): Promise<void> {
  await page.click(`section:has(h3:text-is("${formHeading}")) form button[type=submit]`);
}

test('stock console: depots, items, movements, transfers, counts and reports, accessible', async (t) => {
  if (skipWithoutChromium(t)) return;
  const page = await browser.context.newPage();
  await signIn(page, app.url, 'olga');

  // Depots and balances
  await page.goto(`${app.url}/console.html#/stock`);
  await page.waitForSelector('h2:text-is("Stock balances")');
  await noSeriousViolations(page, 'stock balances (empty)');
  await page.fill('#dep-name', 'North depot');
  await page.fill('#dep-region', 'Capital');
  await submit(page, 'Add a depot');
  await page.waitForSelector('.msg.ok');
  await page.fill('#dep-name', 'South depot');
  await submit(page, 'Add a depot');
  await page.waitForSelector('td:text-is("South depot")');
  const depots = await stock().repo.listDepots();
  assert.deepEqual(depots.map((d) => d.name), ['North depot', 'South depot']);
  assert.equal(depots[0].createdBy, 'olga');

  // Items
  await page.goto(`${app.url}/console.html#/stock-items`);
  await page.waitForSelector('#item-name');
  await page.fill('#item-name', 'First-aid kit');
  await page.fill('#item-category', 'medical');
  await page.fill('#item-unit', 'kit');
  await page.check('#item-lots');
  await submit(page, 'Add an item');
  await page.waitForSelector('td:text-is("First-aid kit")');
  await noSeriousViolations(page, 'stock items');
  const kit = (await stock().repo.listItems())[0];
  assert.equal(kit.tracksLots, true);

  // Movements: receive two lots, issue FEFO, an over-issue is refused with the server's reason
  await page.goto(`${app.url}/console.html#/stock-movements`);
  await page.waitForSelector('#mv-type');
  await noSeriousViolations(page, 'stock movements (empty)');
  for (const [lot, expires, qty] of [['LATE', '2099-12-31', '6'], ['EARLY', '2098-01-31', '4']]) {
    await page.selectOption('#mv-type', 'receipt');
    await page.fill('#mv-quantity', qty);
    await page.fill('#mv-lot', lot);
    await page.fill('#mv-expires', expires);
    await submit(page, 'New movement');
    await page.waitForSelector(`td:has-text("${lot}: ${qty}")`);
  }
  await page.selectOption('#mv-type', 'issue');
  await page.fill('#mv-quantity', '5');
  await page.fill('#mv-lot', '');
  await page.fill('#mv-recipient', 'Team 7');
  await submit(page, 'New movement');
  await page.waitForSelector('td:has-text("EARLY: -4; LATE: -1")');
  await page.selectOption('#mv-type', 'issue');
  await page.fill('#mv-quantity', '50');
  await page.fill('#mv-recipient', 'Team 8');
  await submit(page, 'New movement');
  await page.waitForSelector('.msg.err');
  assert.match((await page.textContent('.msg.err')) ?? '', /only 5 kit in stock, 50 kit asked for/);
  await noSeriousViolations(page, 'stock movements with an error');

  // Transfer 2 to the South depot and receive it on the transfers screen
  await page.selectOption('#mv-type', 'transfer');
  await page.fill('#mv-quantity', '2');
  await page.fill('#mv-recipient', '');
  await page.selectOption('#mv-to', { label: 'South depot' });
  await submit(page, 'New movement');
  await page.waitForSelector('.msg.ok');
  await page.goto(`${app.url}/console.html#/stock-transfers`);
  await page.waitForSelector('button:text-is("Receive all")');
  await noSeriousViolations(page, 'stock transfers');
  await page.click('button:text-is("Receive all")');
  await page.waitForSelector('td:text-is("Received")');
  const [south, north] = [depots[1].id, depots[0].id];
  assert.equal((await app.server.ctx.stock!.reports.balances(south)).rows[0].quantity, 2);
  assert.equal((await app.server.ctx.stock!.reports.balances(north)).rows[0].quantity, 3);

  // Count the North depot: LATE counted 2 (one missing), post
  await page.goto(`${app.url}/console.html#/stock-counts`);
  await page.waitForSelector('#count-depot');
  await page.selectOption('#count-depot', { label: 'North depot' });
  await submit(page, 'Start a count');
  await page.waitForSelector('#count-counted');
  await page.fill('#count-lot', 'LATE');
  await page.fill('#count-counted', '2');
  await page.click('section:has(h3:has-text("Record counted quantity")) form button[type=submit]');
  await page.waitForSelector('[data-count] td:text-is("LATE")');
  await noSeriousViolations(page, 'stock counts');
  await page.click('button:text-is("Post differences as adjustments")');
  await page.waitForSelector('h3:has-text("Posted")');
  assert.equal((await app.server.ctx.stock!.reports.balances(north)).rows[0].quantity, 2);

  // Balances page and reports with their CSV
  await page.goto(`${app.url}/console.html#/stock?depot=${north}`);
  await page.waitForSelector('td:has-text("First-aid kit")');
  await page.fill('#min-value', '5');
  await submit(page, 'Set the minimum level');
  await page.waitForSelector('tr.warn td:text-is("5")');
  assert.deepEqual(await stock().repo.minimums(north), [{ depotId: north, itemId: kit.id, minimum: 5 }]);
  await noSeriousViolations(page, 'stock balances');
  await page.goto(`${app.url}/console.html#/stock-reports?report=card&depot=${north}&item=${kit.id}`);
  await page.waitForSelector('td:text-is("Adjustment")');
  const balances = await page.$$eval('tbody tr td:nth-child(6)', (tds) => tds.map((td) => td.textContent));
  assert.deepEqual(balances, ['6', '10', '5', '3', '2']);
  await noSeriousViolations(page, 'stock card');
  const csvHref = await page.getAttribute('a[download]', 'href');
  const csv = await page.evaluate(async (href) => (await fetch(href!)).text(), csvHref);
  assert.match(csv, /^at,movement,type,lots,in,out,balance/);
  await page.goto(`${app.url}/console.html#/stock-reports?report=expiring&days=40000`);
  await page.waitForSelector('.msg.err');
  await page.goto(`${app.url}/console.html#/stock-reports?report=issued&depot=&unit=&shelter=`);
  await page.waitForSelector('h2:text-is("Issued to a unit or shelter")');
  await noSeriousViolations(page, 'stock reports');

  // Hebrew, right to left
  await page.selectOption('#lang', 'he');
  await page.goto(`${app.url}/console.html#/stock-movements`);
  await page.waitForSelector('h2:text-is("תנועות")');
  await noSeriousViolations(page, 'stock movements in Hebrew');
  await page.selectOption('#lang', 'en');
  await page.close();
});

test('stock console: a warden reads balances but gets no forms', async (t) => {
  if (skipWithoutChromium(t)) return;
  const page = await browser.context.newPage();
  await signIn(page, app.url, 'wendy');
  await page.goto(`${app.url}/console.html#/stock-movements`);
  await page.waitForSelector('h2:text-is("Movements")');
  assert.equal(await page.$('#mv-type'), null);
  assert.equal(await page.$('button:text-is("Reverse")'), null);
  await page.goto(`${app.url}/console.html#/stock`);
  await page.waitForSelector('h2:text-is("Stock balances")');
  assert.equal(await page.$('#dep-name'), null);
  await noSeriousViolations(page, 'stock balances as a warden');
  await page.close();
});

test('a screen still loading when the console moves on never draws over the screen the address names', async (t) => {
  if (skipWithoutChromium(t)) return;
  const page = await browser.context.newPage();
  t.after(() => page.close());
  // A warden lands on their shelters; that reading is held back (a slow network) while they open Movements.
  let release!: () => void;
  const held = new Promise<void>((resolve) => { release = resolve; });
  let asked = false;
  await page.route('**/api/wardens/me/shelters', async (route) => { asked = true; await held; await route.continue(); });
  await signIn(page, app.url, 'wendy');
  for (let i = 0; i < 100 && !asked; i++) await new Promise((r) => setTimeout(r, 50));
  assert.ok(asked, 'the landing screen asked for the warden\'s shelters');
  await page.goto(`${app.url}/console.html#/stock-movements`);
  await page.waitForSelector('h2:text-is("Movements")');
  release();
  for (let i = 0; i < 20; i++) {
    await new Promise((r) => setTimeout(r, 100));
    assert.deepEqual(await page.locator('#main h2').allTextContents(), ['Movements'], 'only the screen the address names');
  }
});
