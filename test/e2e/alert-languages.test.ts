// Alerts in several languages end to end (issue 14): an operator composes an alert in English and Ukrainian (the
// texts come from the templates and follow the event and stage until edited), an approver reviews both languages and
// approves, and a resident whose page is in Ukrainian sees the Ukrainian text, marked lang="uk"; one in Arabic
// (no Arabic block) sees the main text. Real server, real Chromium, real SSE.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { skipWithoutChromium, startApp, launchBrowser, chromiumAvailable, signIn, seedRegions, noSeriousViolations, type App, type Browser } from './harness.ts';

let app: App;
let staff: Browser;
let residentUk: Browser;

before(async () => {
  if (!chromiumAvailable()) return;
  app = await startApp(seedRegions, { shelters: false });
  staff = await launchBrowser({ viewport: { width: 1280, height: 1000 } });
  residentUk = await launchBrowser({ geolocation: { latitude: 55.6761, longitude: 12.5683 }, locale: 'uk-UA' });
});

after(async () => {
  await staff?.close();
  await residentUk?.close();
  await app?.close();
});

test('compose in English and Ukrainian from the templates, approve as a second person; the Ukrainian page shows the Ukrainian text', async (t) => {
  if (skipWithoutChromium(t)) return;
  // The resident's page is in Ukrainian and receiving alerts for where they are.
  const pub = await residentUk.context.newPage();
  await pub.goto(`${app.url}/?lang=uk`);
  await pub.waitForSelector('body[data-ready=true]');
  await pub.waitForFunction(() => document.querySelector('#watch')?.textContent?.includes('Отримуємо тривоги'));

  const page = await staff.context.newPage();
  await signIn(page, app.url, 'olga');
  await page.goto(`${app.url}/console.html#/compose/actual`);
  await page.waitForSelector('.mode-banner.actual');
  // The templates arrive and fill the English text for missile / alert.
  await page.waitForFunction(() => (document.querySelector('#c-instruction') as HTMLTextAreaElement | null)?.value === 'Go to the nearest shelter now and stay there for 10 minutes.');
  assert.equal(await page.inputValue('#c-headline'), 'Missile alert');
  assert.equal(await page.inputValue('#c-description'), 'Missiles have been launched towards this area.');

  await page.fill('#c-region', 'Indre By (DK-IB)');
  await page.click('#c-region ~ button, form:has(#c-region) button[type=submit]');
  await page.waitForSelector('.chips li:has-text("DK-IB")');

  // Add Ukrainian: prefilled from its template, written left to right, marked lang="uk".
  await page.selectOption('#c-add-language', 'uk');
  await page.click('button.add-language');
  await page.waitForSelector('#c-tr-uk-headline');
  assert.equal(await page.inputValue('#c-tr-uk-headline'), 'Ракетна небезпека');
  assert.equal(await page.inputValue('#c-tr-uk-instruction'), 'Негайно пройдіть до найближчого укриття і залишайтеся там 10 хвилин.');
  assert.equal(await page.getAttribute('#c-tr-uk-headline', 'lang'), 'uk');
  // Arabic is added right to left, then removed again.
  await page.selectOption('#c-add-language', 'ar');
  await page.click('button.add-language');
  await page.waitForSelector('#c-tr-ar-headline');
  assert.equal(await page.getAttribute('#c-tr-ar-instruction', 'dir'), 'rtl');
  assert.equal(await page.inputValue('#c-tr-ar-headline'), 'إنذار صاروخي');
  await page.click('fieldset.translation[data-language=ar] button.remove-language');
  await page.waitForSelector('#c-tr-ar-headline', { state: 'detached' });

  // The operator edits the Ukrainian headline by hand; a change of stage refills only what was not edited.
  await page.fill('#c-tr-uk-headline', 'Ракетна небезпека: Індре Бю');
  await page.selectOption('#c-stage', 'pre-alert');
  await page.waitForFunction(() => (document.querySelector('#c-headline') as HTMLInputElement).value === 'Missile threat: get ready');
  assert.equal(await page.inputValue('#c-tr-uk-headline'), 'Ракетна небезпека: Індре Бю', 'edited by hand: kept');
  assert.match(await page.inputValue('#c-tr-uk-instruction'), /^Будьте готові/, 'not edited: follows the pre-alert template');
  await page.selectOption('#c-stage', 'alert');
  await page.waitForFunction(() => (document.querySelector('#c-headline') as HTMLInputElement).value === 'Missile alert');

  const preview = (await page.textContent('pre.cap')) ?? '';
  assert.equal(preview.match(/<info>/g)?.length, 2, 'the CAP preview shows both info blocks');
  assert.match(preview, /<language>uk<\/language>[\s\S]*<headline>Ракетна небезпека: Індре Бю<\/headline>/);
  await noSeriousViolations(page, 'composer with two languages');

  await page.click('form:has(#c-headline) button[type=submit]');
  await page.waitForSelector('.msg.ok');
  const draftId = decodeURIComponent((await page.getAttribute('.msg.ok + a', 'href'))!.split('/').pop()!);
  await page.close();

  // The approver sees the whole message in both languages before approving.
  const approver = await launchBrowser({ viewport: { width: 1280, height: 1000 } });
  try {
    const ap = await approver.context.newPage();
    await signIn(ap, app.url, 'avi');
    await ap.goto(`${app.url}/console.html#/alert/${encodeURIComponent(draftId)}`);
    await ap.waitForSelector('.info-block[data-language=uk]');
    assert.match((await ap.textContent('.info-block[data-language=en]')) ?? '', /Missile alert/);
    assert.match((await ap.textContent('.info-block[data-language=uk]')) ?? '', /Ракетна небезпека: Індре Бю[\s\S]*Негайно пройдіть до найближчого укриття/);
    assert.equal(await ap.getAttribute('.info-block[data-language=uk]', 'lang'), 'uk');
    await ap.click('button:has-text("Approve and issue")');
    await ap.waitForSelector('.msg.ok');
  } finally {
    await approver.close();
  }

  // The Ukrainian page shows the Ukrainian block, marked as Ukrainian text.
  await pub.waitForSelector('#alert.actual:not([hidden])');
  assert.equal((await pub.textContent('#alert h2'))?.trim(), 'Ракетна небезпека: Індре Бю');
  assert.equal(await pub.getAttribute('#alert h2', 'lang'), 'uk');
  assert.equal(await pub.getAttribute('#alert h2', 'dir'), 'ltr');
  assert.equal((await pub.textContent('#alert p.instruction'))?.trim(), 'Негайно пройдіть до найближчого укриття і залишайтеся там 10 хвилин.');

  // Switched to Arabic (no Arabic block): the main (English) text, marked English and left to right inside the
  // right-to-left page.
  await pub.evaluate(() => { localStorage.setItem('refuge.lang', 'ar'); });
  await pub.goto(`${app.url}/?lang=ar`);
  await pub.waitForSelector('#alert.actual:not([hidden])');
  assert.equal((await pub.textContent('#alert h2'))?.trim(), 'Missile alert');
  assert.equal(await pub.getAttribute('#alert h2', 'lang'), 'en');
  assert.equal(await pub.getAttribute('#alert h2', 'dir'), 'ltr');
  await pub.close();
});

test('an approver edits a template in the console; the composer starts from it; an operator may only read templates', async (t) => {
  if (skipWithoutChromium(t)) return;
  const browser = await launchBrowser({ viewport: { width: 1280, height: 1000 } });
  try {
    const ap = await browser.context.newPage();
    await signIn(ap, app.url, 'avi');
    await ap.goto(`${app.url}/console.html#/compose/exercise`);
    await ap.waitForSelector('a.open-templates');
    await ap.click('a.open-templates');
    await ap.waitForSelector('#tpl-headline');
    await ap.selectOption('#tpl-event', 'drone');
    await ap.selectOption('#tpl-stage', 'all-clear');
    await ap.selectOption('#tpl-language', 'he');
    assert.equal(await ap.inputValue('#tpl-headline'), 'סיום האירוע: איום כלי הטיס חלף');
    assert.equal(await ap.getAttribute('#tpl-instruction', 'dir'), 'rtl');
    await noSeriousViolations(ap, 'template editor');
    await ap.fill('#tpl-instruction', 'ניתן לצאת מהמרחב המוגן. אל תגעו בשברים של כלי הטיס.');
    await ap.click('form.tpl-form button[type=submit]');
    await ap.waitForSelector('.msg.ok');
    assert.match((await ap.textContent('.tpl-state')) ?? '', /avi/);
    // A refused change names the field.
    await ap.fill('#tpl-headline', 'EXERCISE - סיום האירוע');
    await ap.click('form.tpl-form button[type=submit]');
    await ap.waitForSelector('.msg.err');
    assert.match((await ap.textContent('.msg.err')) ?? '', /headline/);
    // Back in the composer: Hebrew for drone / all-clear starts from the changed text.
    await ap.click('a.tpl-back');
    await ap.waitForSelector('#c-headline');
    await ap.selectOption('#c-event', 'drone');
    await ap.selectOption('#c-stage', 'all-clear');
    await ap.selectOption('#c-add-language', 'he');
    await ap.click('button.add-language');
    await ap.waitForSelector('#c-tr-he-instruction');
    assert.equal(await ap.inputValue('#c-tr-he-instruction'), 'ניתן לצאת מהמרחב המוגן. אל תגעו בשברים של כלי הטיס.');
    assert.equal(await ap.getAttribute('#c-tr-he-headline', 'dir'), 'rtl');
    // The preview shows what the server will send for an exercise: the mark added to every language.
    assert.match((await ap.textContent('pre.cap')) ?? '', /<headline>EXERCISE - סיום האירוע: איום כלי הטיס חלף<\/headline>/);

    const op = await browser.context.newPage();
    await signIn(op, app.url, 'olga');
    await op.goto(`${app.url}/console.html#/compose/actual`);
    await op.waitForSelector('a.open-templates');
    await op.click('a.open-templates');
    await op.waitForSelector('#tpl-headline');
    assert.equal(await op.isDisabled('#tpl-headline'), true);
    assert.equal(await op.locator('form.tpl-form button[type=submit]').count(), 0);
  } finally {
    await browser.close();
  }
});
