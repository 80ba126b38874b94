// The console's accounts screens end to end, in English and Hebrew: an admin creates an approver, which waits; its
// owner chooses a password at first sign-in; the creating admin cannot activate it, a second admin can; disable,
// sign out everywhere, token revocation, the event log; and everyone's own password change. axe-core on each screen.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { noSeriousViolations, skipWithoutChromium, startApp, launchBrowser, chromiumAvailable, type App, type Browser } from './harness.ts';
import { SHARED } from '../helpers.ts';
import { parseRegionsGeoJson } from '../../src/geo/index.ts';
import { reloadRegions } from '../../src/server/capabilities/regions.ts';

const PW = { ada: 'ada-admin-password-1', bo: 'bo-admin-password-1' };
let app: App;
let admin: Browser;
let other: Browser;

before(async () => {
  if (!chromiumAvailable()) return;
  app = await startApp(async (server) => {
    await server.ctx.accounts.createUser('ada', 'admin', PW.ada);
    await server.ctx.accounts.createUser('bo', 'admin', PW.bo);
  }, { shelters: false });
  admin = await launchBrowser({ viewport: { width: 1280, height: 900 } });
  other = await launchBrowser({ viewport: { width: 1280, height: 900 } });
});

after(async () => {
  await admin?.close();
  await other?.close();
  await app?.close();
});

/** Opens the console signed out, in a language, at a screen, and submits the sign-in form. */
async function submitLogin(page: Page, name: string, password: string, lang: string, hash = '#/accounts'): Promise<void> {
  await page.context().clearCookies();
  await page.goto('about:blank');
  await page.goto(`${app.url}/console.html?lang=${lang}${hash}`);
  await page.fill('#login-name', name);
  await page.fill('#login-password', password);
  await page.click('form button[type=submit]');
}

async function login(page: Page, name: string, password: string, lang: string, hash = '#/accounts'): Promise<void> {
  await submitLogin(page, name, password, lang, hash);
  await page.waitForSelector('#nav:not([hidden])');
}

const statusOf = (name: string) => app.server.ctx.accounts.getUser(name).then((u) => u.status);

test('English: create an approver, owner sets a password, the second admin activates; disable, sessions, tokens, log', async (t) => {
  if (skipWithoutChromium(t)) return;
  const page = await admin.context.newPage();
  await login(page, 'ada', PW.ada, 'en');
  await page.waitForSelector('h2:has-text("Accounts")');
  assert.ok(await page.isVisible('#nav a[href="#/accounts"]'), 'admins see the accounts section');
  await noSeriousViolations(page, 'accounts list');

  await page.fill('#acc-new-name', 'carl');
  await page.selectOption('#acc-new-role', 'approver');
  await page.fill('#acc-new-password', 'carl-first-password');
  await page.click('form[aria-labelledby="acc-create-h"] button[type=submit]');
  await page.waitForSelector('.msg.ok:has-text("carl")');
  assert.match((await page.textContent('tr[data-user="carl"]')) ?? '', /Waiting for a second admin/);
  assert.equal(await statusOf('carl'), 'pending');

  // The creating admin cannot activate it.
  await page.click('tr[data-user="carl"] a');
  await page.waitForSelector('h2:has-text("Account: carl")');
  await noSeriousViolations(page, 'one account');
  await page.click('button:has-text("Activate")');
  await page.waitForSelector('.msg.err');
  assert.match((await page.textContent('.msg.err')) ?? '', /Another admin must do this/);
  assert.equal(await statusOf('carl'), 'pending');

  // Carl signs in: must choose a password, then learns the account waits.
  const carl = await other.context.newPage();
  await submitLogin(carl, 'carl', 'carl-first-password', 'en');
  await carl.waitForSelector('#login-new-password:visible');
  assert.match((await carl.textContent('.msg')) ?? '', /Choose your own password/);
  await noSeriousViolations(carl, 'sign-in: choose a password');
  await carl.fill('#login-new-password', 'carl-own-password-1');
  await carl.fill('#login-confirm-password', 'carl-own-password-1');
  await carl.click('form button[type=submit]');
  await carl.waitForSelector('.msg:has-text("Your password is set")');
  assert.ok(await carl.isHidden('#nav'), 'no session while pending');

  // The second admin activates it.
  await login(carl, 'bo', PW.bo, 'en', '#/accounts/carl');
  await carl.waitForSelector('h2:has-text("Account: carl")');
  await carl.click('button:has-text("Activate")');
  await carl.waitForSelector('#acc-status:has-text("Active")');
  assert.equal(await statusOf('carl'), 'active');

  // Carl signs in for real; Ada signs them out everywhere, then disables the account.
  await login(carl, 'carl', 'carl-own-password-1', 'en', '#/my-account');
  assert.ok(!(await carl.isVisible('#nav a[href="#/accounts"]')), 'not for approvers');
  await page.reload();
  await page.waitForSelector('h2:has-text("Account: carl")');
  await page.click('button:has-text("Sign out everywhere")');
  await page.waitForSelector('.msg.ok:has-text("Ended 1 sessions")');
  await page.click('button:has-text("Disable")');
  await page.waitForSelector('#acc-status:has-text("Disabled")');
  assert.equal(await statusOf('carl'), 'disabled');

  // Tokens: listed without secrets, revoked from the list.
  const secret = await app.server.ctx.accounts.createApiToken('ada', 'deploy script');
  await page.goto(`${app.url}/console.html?lang=en#/accounts`);
  await page.waitForSelector('tr[data-token]:has-text("deploy script")');
  assert.ok(!(await page.content()).includes(secret), 'the secret is never shown');
  const id = await page.getAttribute('tr[data-token]:has-text("deploy script")', 'data-token');
  await page.click(`button[aria-label="Revoke token ${id}"]`);
  await page.waitForSelector(`.msg.ok:has-text("${id}")`);
  assert.equal(await app.server.ctx.accounts.userForToken(secret), null);
  assert.match((await page.textContent('section[aria-labelledby="acc-events-h"]')) ?? '', /token\.revoked[\s\S]*user\.disabled[\s\S]*sessions\.ended[\s\S]*user\.activated/);
  await noSeriousViolations(page, 'accounts list with tokens and events');
  await page.close();
  await carl.close();
});

test('English: every user changes their own password on My account', async (t) => {
  if (skipWithoutChromium(t)) return;
  const page = await other.context.newPage();
  await login(page, 'wendy', 'wendy-warden-pass-1', 'en', '#/my-account');
  await page.waitForSelector('h2:has-text("My account")');
  assert.ok(await page.isVisible('#nav a[href="#/my-account"]'));
  await noSeriousViolations(page, 'my account');
  await page.fill('#my-current', 'not-the-password');
  await page.fill('#my-password-new', 'wendy-new-password-2');
  await page.fill('#my-password-confirm', 'wendy-new-password-2');
  await page.click('form[aria-labelledby="my-password-h"] button[type=submit]');
  await page.waitForSelector('.msg.err:has-text("current password is wrong")');
  await page.fill('#my-current', 'wendy-warden-pass-1');
  await page.fill('#my-password-new', 'wendy-new-password-2');
  await page.fill('#my-password-confirm', 'wendy-new-password-2');
  await page.click('form[aria-labelledby="my-password-h"] button[type=submit]');
  await page.waitForSelector('.msg.ok:has-text("Your password is changed")');
  assert.equal((await app.server.ctx.accounts.authenticate('wendy', 'wendy-new-password-2'))?.name, 'wendy');
  await page.close();
});

test('Hebrew: the accounts screens and the first sign-in are right-to-left, translated and accessible', async (t) => {
  if (skipWithoutChromium(t)) return;
  const page = await admin.context.newPage();
  await login(page, 'ada', PW.ada, 'he');
  assert.equal(await page.getAttribute('html', 'dir'), 'rtl');
  await page.waitForSelector('h2:has-text("חשבונות")');
  assert.ok(await page.isVisible('#nav a[href="#/accounts"]:has-text("חשבונות")'));
  await noSeriousViolations(page, 'accounts list (he)');
  await page.fill('#acc-new-name', 'dana');
  await page.selectOption('#acc-new-role', 'operator');
  await page.fill('#acc-new-password', 'dana-first-password');
  await page.click('form[aria-labelledby="acc-create-h"] button[type=submit]');
  await page.waitForSelector('.msg.ok:has-text("dana")');
  assert.match((await page.textContent('tr[data-user="dana"]')) ?? '', /ממתין למנהל נוסף/);
  await page.click('tr[data-user="dana"] a');
  await page.waitForSelector('h2:has-text("dana")');
  await noSeriousViolations(page, 'one account (he)');
  await page.click('#nav a[href="#/my-account"]');
  await page.waitForSelector('h2:has-text("החשבון שלי")');
  await noSeriousViolations(page, 'my account (he)');

  const dana = await other.context.newPage();
  await submitLogin(dana, 'dana', 'dana-first-password', 'he');
  await dana.waitForSelector('#login-new-password:visible');
  assert.match((await dana.textContent('.msg')) ?? '', /בחרו סיסמה משלכם/);
  assert.match((await dana.textContent('label[for="login-new-password"]')) ?? '', /סיסמה חדשה/);
  await noSeriousViolations(dana, 'sign-in: choose a password (he)');
  await page.close();
  await dana.close();
});

test('English and Ukrainian: an admin gives an account a jurisdiction from the imported regions, changes and removes it', async (t) => {
  if (skipWithoutChromium(t)) return;
  // The Ukrainian oblasts (real data); the screen lists them by name in the console's language.
  const oblasts = parseRegionsGeoJson(readFileSync(join(SHARED, 'ukraine-oblasts', 'ua_oblasts_simplified.geojson'), 'utf8'), {}, 'ua').regions;
  await reloadRegions(app.server.ctx, 'ua', oblasts);
  const page = await admin.context.newPage();
  try {
    await login(page, 'ada', PW.ada, 'en');
    await page.waitForSelector('#acc-new-jurisdiction');
    assert.equal(await page.locator('#acc-new-jurisdiction option').count(), 27);
    await page.fill('#acc-new-name', 'oksana');
    await page.selectOption('#acc-new-role', 'warden');
    await page.fill('#acc-new-password', 'oksana-first-password');
    await page.selectOption('#acc-new-jurisdiction', ['UA-46', 'UA-07']);
    await page.click('form[aria-labelledby="acc-create-h"] button[type=submit]');
    await page.waitForSelector('.msg.ok:has-text("oksana")');
    assert.deepEqual((await app.server.ctx.accounts.getUser('oksana')).jurisdiction, ['UA-07', 'UA-46']);
    assert.match((await page.textContent('tr[data-user="oksana"] .acc-jurisdiction')) ?? '', /^Volyn Oblast \(UA-07\), Lviv Oblast \(UA-46\)$/);
    await noSeriousViolations(page, 'accounts list with jurisdictions');

    // On the account's page, in Ukrainian: the oblasts by their Ukrainian names; the choice is changed, then removed.
    await page.goto(`${app.url}/console.html?lang=uk#/accounts/oksana`);
    await page.waitForSelector('#acc-jurisdiction');
    assert.deepEqual(await page.$$eval('#acc-jurisdiction option:checked', (els) => els.map((e) => e.textContent)), ['Волинська область (UA-07)', 'Львівська область (UA-46)']);
    await page.selectOption('#acc-jurisdiction', ['UA-30']);
    await page.click('form[aria-labelledby="acc-jurisdiction-h"] button[type=submit]');
    await page.waitForSelector('.msg.ok:has-text("oksana")');
    assert.deepEqual((await app.server.ctx.accounts.getUser('oksana')).jurisdiction, ['UA-30']);
    assert.match((await page.textContent('#acc-jurisdiction-now')) ?? '', /UA-30/);
    await noSeriousViolations(page, 'an account with its jurisdiction (Ukrainian)');
    await page.selectOption('#acc-jurisdiction', []);
    await page.click('form[aria-labelledby="acc-jurisdiction-h"] button[type=submit]');
    await page.waitForFunction(() => /немає/.test(document.querySelector('#acc-jurisdiction-now')?.textContent ?? ''));
    assert.deepEqual((await app.server.ctx.accounts.getUser('oksana')).jurisdiction, []);
    assert.match((await page.textContent('section[aria-labelledby="acc-events-h"]')) ?? '', /user\.jurisdiction-changed[\s\S]*user\.jurisdiction-changed/);
  } finally {
    await page.close();
  }
});
