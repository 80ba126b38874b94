// Security headers and the pages' Content Security Policy, enforced by a real Chromium: the public map (with its
// worker, the street base map and a route) and the console (with the composer's map) run without a single CSP
// violation, and a script injected from elsewhere is refused.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { startApp, launchBrowser, chromiumAvailable, seedRegions, signIn, type App, type Browser } from './harness.ts';

let app: App;
let browser: Browser;

before(async () => {
  if (!chromiumAvailable()) return;
  app = await startApp(seedRegions);
  browser = await launchBrowser({ geolocation: { latitude: 55.6761, longitude: 12.5683 }, viewport: { width: 1200, height: 860 } });
  // Every page records the CSP violations it meets.
  await browser.context.addInitScript(() => {
    const w = window as unknown as { cspViolations: string[] };
    w.cspViolations = [];
    document.addEventListener('securitypolicyviolation', (e) => w.cspViolations.push(`${e.violatedDirective} ${e.blockedURI}`));
  });
});

after(async () => {
  await browser?.close();
  await app?.close();
});

const violations = (page: Page) => page.evaluate(() => (window as unknown as { cspViolations: string[] }).cspViolations);

test('pages carry a strict CSP and the security headers; API answers carry the headers', async (t) => {
  if (!chromiumAvailable()) return t.skip('Chromium is not installed at /usr/bin/chromium (.ci/run installs it with apt)');
  for (const path of ['/', '/console.html']) {
    const res = await fetch(app.url + path);
    const csp = res.headers.get('content-security-policy') ?? '';
    assert.match(csp, /script-src 'self'(;|$)/, `${path}: own scripts only`);
    assert.match(csp, /frame-ancestors 'none'/, `${path}: cannot be framed`);
    assert.equal(res.headers.get('x-frame-options'), 'DENY');
    assert.equal(res.headers.get('x-content-type-options'), 'nosniff');
    assert.equal(res.headers.get('referrer-policy'), 'no-referrer');
    assert.match(res.headers.get('permissions-policy') ?? '', /geolocation=\(self\)/);
  }
  const api = await fetch(app.url + '/api/shelters?limit=1');
  assert.equal(api.headers.get('x-content-type-options'), 'nosniff');
  assert.equal(api.headers.get('x-frame-options'), 'DENY');
});

test('the public map, Find shelter and the console run under the CSP without a violation; a foreign script is refused', async (t) => {
  if (!chromiumAvailable()) return t.skip('Chromium is not installed at /usr/bin/chromium (.ci/run installs it with apt)');
  const page = await browser.context.newPage();
  await page.goto(app.url + '/');
  await page.waitForSelector('body[data-ready=true]');
  const drawn = await page.evaluate(() => (window as unknown as { refugeMap: { map: { querySourceFeatures: (s: string) => unknown[] } } }).refugeMap.map.querySourceFeatures('shelters').length);
  assert.ok(drawn > 0, 'the map drew the shelters (its worker ran)');
  await page.click('#find');
  await page.waitForSelector('.results .result');
  assert.deepEqual(await violations(page), []);
  // An injected inline script (what an XSS would add) does not run.
  const ran = await page.evaluate(() => {
    const s = document.createElement('script');
    s.textContent = '(window).injected = true';
    document.body.append(s);
    return (window as unknown as { injected?: boolean }).injected === true;
  });
  assert.equal(ran, false);
  assert.ok((await violations(page)).some((v) => v.startsWith('script-src')), 'and the attempt is reported');
  await page.close();

  const staff = await browser.context.newPage();
  await signIn(staff, app.url, 'olga');
  await staff.goto(`${app.url}/console.html#/compose/actual`);
  await staff.waitForSelector('.mode-banner.actual');
  await staff.waitForSelector('.composer .map canvas');
  await staff.waitForTimeout(1000);
  assert.deepEqual(await violations(staff), []);
  await staff.close();
});
