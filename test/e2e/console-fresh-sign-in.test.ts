// The console's answer to 403 FRESH_SIGN_IN_REQUIRED: an approver whose sign-in is older than the policy allows is
// asked for the password in place (not told "forbidden"), a wrong password is refused, the right one confirms, and
// approving again issues the alert. Nothing is issued before that. The server's clock is moved, not the browser's.
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { Accounts } from '../../src/accounts/index.ts';
import { launchBrowser, noSeriousViolations, PASSWORDS, seedRegions, signIn, skipWithoutChromium, startApp, chromiumAvailable, type App } from './harness.ts';

let app: App | null = null;
before(async () => { if (chromiumAvailable()) app = await startApp(seedRegions, { shelters: false }); });
after(async () => { await app?.close(); });

test('an approver with an old sign-in is asked for the password, then approves; nothing is issued before', async (t) => {
  if (skipWithoutChromium(t) || !app) return;
  const { server, url } = app;
  const clock = { now: Date.now() };
  server.ctx.accounts = new Accounts(server.ctx.store.accounts, () => new Date(clock.now));
  const olga = await server.ctx.accounts.createApiToken('olga');
  const draft = await fetch(`${url}/api/alerts`, {
    method: 'POST', headers: { authorization: `Bearer ${olga}`, 'content-type': 'application/json' },
    body: JSON.stringify({ status: 'Actual', msgType: 'Alert', event: 'missile', urgency: 'Immediate', severity: 'Extreme', certainty: 'Observed',
      headline: 'Fresh sign-in e2e', instruction: 'Go to the nearest shelter now.', regions: ['DK-IB'], expires: new Date(clock.now + 30 * 60_000).toISOString() }),
  });
  assert.equal(draft.status, 201, await draft.clone().text());
  const { id } = await draft.json() as { id: string };
  const state = async () => (await (await fetch(`${url}/api/alerts/${id}`, { headers: { authorization: `Bearer ${olga}` } })).json() as { state: string }).state;

  const browser = await launchBrowser({ viewport: { width: 390, height: 844 } });
  t.after(() => browser.close());
  const page = await browser.context.newPage();
  await signIn(page, url, 'avi');
  clock.now += 6 * 60_000; // past the 5-minute window, well inside the idle timeout
  await page.goto(`${url}/console.html#/alert/${id}`);
  await page.click('button:has-text("Approve and issue")');
  await page.waitForSelector('.resign-prompt');
  assert.match((await page.textContent('.resign-prompt')) ?? '', /recent sign-in/);
  assert.doesNotMatch((await page.textContent('.resign-prompt')) ?? '', /not allowed|forbidden/i);
  assert.equal(await state(), 'draft', 'refused: nothing issued');
  await noSeriousViolations(page, 'fresh sign-in prompt');

  await page.fill('.resign-prompt input[type=password]', 'not-the-password');
  await page.click('.resign-prompt button[type=submit]');
  await page.waitForSelector('.resign-prompt p:has-text("Not confirmed")');
  assert.equal(await state(), 'draft');

  await page.fill('.resign-prompt input[type=password]', PASSWORDS.avi);
  await page.click('.resign-prompt button[type=submit]');
  await page.waitForSelector('.resign-prompt .msg.ok');
  await page.click('button:has-text("Approve and issue")');
  await page.waitForSelector('.msg.ok');
  assert.equal(await state(), 'issued');
});
