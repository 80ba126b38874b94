// A shelter's audit log in the console (issue 15): an operator edits a shelter, opens its audit log and sees the
// change with its old and new value, as the database recorded it; axe-core finds no serious violation.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { noSeriousViolations, skipWithoutChromium, startApp, launchBrowser, chromiumAvailable, signIn, type App, type Browser } from './harness.ts';

let app: App;
let browser: Browser;

before(async () => {
  if (!chromiumAvailable()) return;
  app = await startApp();
  browser = await launchBrowser({ viewport: { width: 1280, height: 900 } });
});

after(async () => {
  await browser?.close();
  await app?.close();
});

test('the audit log of a shelter shows an edit, with its old and new value', async (t) => {
  if (skipWithoutChromium(t)) return;
  const shelter = app.server.ctx.registry.all()[0];
  await app.server.ctx.registry.patch(shelter.id, shelter.version, { capacity: 4321 }, 'e2e');
  const page = await browser.context.newPage();
  await signIn(page, app.url, 'olga');
  await page.goto(`${app.url}/console.html#/shelter/${encodeURIComponent(shelter.id)}`);
  await page.click('button:text-is("Show the audit log")');
  const row = page.locator('section.audit-log tr', { hasText: '4321' });
  await row.first().waitFor();
  assert.match(await row.first().innerText(), /capacity/);
  await noSeriousViolations(page, 'shelter page with its audit log');
});
