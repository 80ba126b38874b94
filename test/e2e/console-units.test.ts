// The console's units pages in Chromium: units, a call-up whose answers arrive live without reload (a personal
// link's answer and a member's own answer in the console), my call-ups, and readiness regimes; axe-core finds no
// serious violation on any of them, in English, Ukrainian, Hebrew and Danish.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as strings from '../../web/src/i18n/parts/units.ts';
import { noSeriousViolations, skipWithoutChromium, startApp, launchBrowser, chromiumAvailable, signIn, seedRegions, type App, type Browser } from './harness.ts';

let app: App;
let browser: Browser;
/** The member's own browser (sessions are per browser profile). */
let memberBrowser: Browser;
let unitId = '';

before(async () => {
  if (!chromiumAvailable()) return;
  app = await startApp(async (server) => {
    await seedRegions(server);
    const units = server.ctx.units!.units;
    const unit = await units.createUnit({ name: 'Indre By rescue', type: 'rescue', region: 'DK-IB', requiredRoles: ['leader', 'medic'] }, 'seed');
    unitId = unit.id;
    await units.addMember(unit.id, { name: 'Wendy', role: 'leader', user: 'wendy', certificates: [{ name: 'First aid', expires: '2020-01-01' }] });
    await units.addMember(unit.id, { name: 'Jens', role: 'medic', contact: { phone: '+45 12 34 56 78' } });
    await units.createUnit({ name: 'Vesterbro first aid', type: 'first-aid', region: 'DK-VB' }, 'seed');
  }, { shelters: false });
  browser = await launchBrowser({ viewport: { width: 1280, height: 900 } });
  memberBrowser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await memberBrowser?.close();
  await app?.close();
});

test('a call-up from the console: the operator sees answers arrive live; the member answers in the console', async (t) => {
  if (skipWithoutChromium(t)) return;
  const page = await browser.context.newPage();
  await signIn(page, app.url, 'olga');
  await page.goto(`${app.url}/console.html#/units`);
  await page.waitForSelector('text=Indre By rescue');
  assert.match((await page.textContent('#main')) ?? '', /Vesterbro first aid: leader/, 'the missing-roles report');
  await noSeriousViolations(page, 'units');

  await page.goto(`${app.url}/console.html#/callups`);
  await page.waitForSelector('#cu-message');
  await noSeriousViolations(page, 'call-ups');
  await page.check(`#cu-unit-${unitId}`);
  await page.fill('#cu-message', 'Gas leak at Nørreport: report to the depot');
  await page.fill('#cu-report', 'Depot Nord');
  await page.check('#cu-exercise');
  await page.click('form[aria-labelledby=cu-new] button[type=submit]');
  await page.waitForSelector('#cu-counts[data-pending="2"]');
  const callupId = decodeURIComponent(new URL(page.url()).hash.split('/')[2]);
  assert.match((await page.textContent('.mode-banner.exercise')) ?? '', /EXERCISE/, 'an exercise is marked');
  const text = await page.inputValue('textarea[aria-label="Message for Jens"]');
  assert.match(text, /^\[EXERCISE\] Call-up for Jens: Gas leak/);
  const link = /Answer here: (\S+)/.exec(text)![1];
  await noSeriousViolations(page, 'call-up');

  // Jens answers through his link (the plain page a phone opens); the operator's page updates without reload.
  const form = await fetch(link, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'answer=coming&etaMinutes=12' });
  assert.equal(form.status, 200);
  assert.match(await form.text(), /your answer was taken/);
  await page.waitForSelector('#cu-counts[data-coming="1"][data-pending="1"]');
  assert.match((await page.textContent(`tr[data-member] >> nth=1`)) ?? '', /Coming/);

  // New links replace the old ones (only hashes are kept, so links are shown once).
  await page.click('button:has-text("Make new personal links")');
  await page.waitForFunction((old) => (document.querySelector('textarea[aria-label="Message for Jens"]') as HTMLTextAreaElement | null)?.value.includes('Answer here:') && !(document.querySelector('textarea[aria-label="Message for Jens"]') as HTMLTextAreaElement).value.includes(old), link);
  assert.equal((await fetch(link)).status, 404, 'the old link no longer opens');
  const fresh = /Answer here: (\S+)/.exec(await page.inputValue('textarea[aria-label="Message for Jens"]'))![1];
  assert.equal((await fetch(fresh)).status, 200);

  // Wendy, a warden with a member record, answers in her console.
  const member = await memberBrowser.context.newPage();
  await signIn(member, app.url, 'wendy');
  await member.goto('about:blank'); // a fresh load: the warden's landing redirect must not race the screen
  await member.goto(`${app.url}/console.html#/my-callups`);
  await member.waitForSelector(`[data-callup="${callupId}"] .tag.Exercise`);
  await noSeriousViolations(member, 'my call-ups');
  await member.fill(`[id^="my-${callupId}-"][id$="-eta"]`, '7');
  await member.click(`[data-callup="${callupId}"] button.primary`);
  await member.waitForSelector('.my-current:has-text("Coming")');
  await page.waitForSelector('#cu-counts[data-coming="2"][data-pending="0"]');
  await member.close();

  // Closing ends it for everyone; the page shows the new state live.
  await page.click('button:has-text("Close (done)")');
  await page.waitForSelector('#cu-state:has-text("Closed")');
  assert.equal((await fetch(fresh)).status, 410, 'the link has expired');
  await page.close();
});

test('regimes: set a level with a reason, sub-regions listed, history shown', async (t) => {
  if (skipWithoutChromium(t)) return;
  const page = await browser.context.newPage();
  await signIn(page, app.url, 'olga');
  await page.goto(`${app.url}/console.html#/regimes`);
  await page.waitForSelector('#rg-region');
  await noSeriousViolations(page, 'regimes');
  await page.selectOption('#rg-region', 'DK-IB');
  await page.selectOption('#rg-level', 'emergency');
  await page.fill('#rg-reason', 'gas leak');
  await page.click('form[aria-labelledby=rg-set] button[type=submit]');
  await page.waitForSelector('tr[data-region="DK-IB"] td.level-emergency');
  await page.click('a[href="#/regimes/DK-IB"]');
  await page.waitForSelector('td:has-text("gas leak")');
  await noSeriousViolations(page, 'regime history');
  await page.close();
});

test('the units pages pass axe in all four languages', async (t) => {
  if (skipWithoutChromium(t)) return;
  const page = await browser.context.newPage();
  await signIn(page, app.url, 'olga');
  const expected: Record<string, RegExp> = { en: /Civil-defence units/, uk: /Підрозділи цивільного захисту/, he: /יחידות הגנה אזרחית/, da: /Beredskabsenheder/ };
  for (const lang of ['en', 'uk', 'he', 'da']) {
    await page.goto('about:blank');
    await page.goto(`${app.url}/console.html?lang=${lang}#/units`);
    await page.waitForSelector('section.unit');
    assert.match((await page.textContent('h2')) ?? '', expected[lang]);
    assert.equal(await page.getAttribute('html', 'dir'), lang === 'he' ? 'rtl' : 'ltr');
    await noSeriousViolations(page, `units (${lang})`);
    const dict = strings[lang as 'en'] as Record<string, string>;
    for (const [hash, heading, ready] of [['#/callups', 'un.callups', '#cu-list'], ['#/regimes', 'un.regimes', '#rg-set'], ['#/my-callups', 'un.myCallups', '#main h2 ~ div p']]) {
      await page.evaluate((h) => { location.hash = h; }, hash);
      await page.waitForFunction((text) => document.querySelector('#main h2')?.textContent === text, dict[heading]);
      await page.waitForSelector(ready);
      assert.equal(await page.$('#main .msg.err'), null, `${hash} (${lang}) shows no error`);
      await noSeriousViolations(page, `${hash} (${lang})`);
    }
  }
  await page.close();
});
