// The operators' console additions in Chromium: assigning and releasing wardens from the shelter screen, and the
// warden's Mark full prompt on a phone, on screen without scrolling; alert buttons by role and lifecycle state; the
// approvals badge and the approver's review (whole message, phone preview).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { skipWithoutChromium, startApp, launchBrowser, chromiumAvailable, signIn, noSeriousViolations, seedRegions, type App, type Browser } from './harness.ts';

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
    await seedRegions(server);
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

async function api(who: 'olga' | 'avi', method: string, path: string, body?: unknown): Promise<{ id: string; state: string }> {
  const token = await app.server.ctx.accounts.createApiToken(who);
  const res = await fetch(app.url + path, { method, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
  assert.ok(res.ok, `${path}: ${res.status} ${await res.clone().text()}`);
  return res.json() as Promise<{ id: string; state: string }>;
}

const draftBody = (headline: string) => ({
  status: 'Exercise', event: 'missile', headline, description: `Description of ${headline}`, instruction: 'Go to the nearest shelter now.',
  regions: ['DK-IB'], expires: new Date(Date.now() + 600_000).toISOString(),
});

test('approvers get a live badge and review the whole message with a phone preview; operators are not offered approval', async (t) => {
  if (skipWithoutChromium(t)) return;
  const draft = await api('olga', 'POST', '/api/alerts', draftBody('Badge drill'));
  const ap = await desk.context.newPage();
  await signIn(ap, app.url, 'avi');
  await ap.waitForSelector('#nav a[href="#/approvals"] .nav-badge[data-count="1"]');
  assert.match(await ap.textContent('#nav a[href="#/approvals"]') ?? '', /1 waiting for approval/);
  // A second draft arrives: the badge follows within its 15 s poll.
  const second = await api('olga', 'POST', '/api/alerts', draftBody('Second drill'));
  await ap.waitForSelector('#nav a[href="#/approvals"] .nav-badge[data-count="2"]', { timeout: 40_000 });

  await ap.goto(`${app.url}/console.html#/alert/${draft.id}`);
  await ap.waitForSelector('.phone-preview');
  // Every info field is shown, and the preview says what residents will read.
  for (const f of ['headline', 'description', 'instruction', 'event', 'urgency', 'severity', 'certainty', 'expires', 'areas']) {
    assert.equal(await ap.locator(`.whole-message tr[data-field="${f}"]`).count(), 1, f);
  }
  assert.match(await ap.textContent('.whole-message tr[data-field="description"]') ?? '', /Description of Badge drill/);
  assert.match(await ap.textContent('.phone-preview .pp-headline') ?? '', /Badge drill/);
  assert.match(await ap.textContent('.phone-preview .pp-instruction') ?? '', /nearest shelter/);
  const phone = (await ap.locator('.phone-preview').boundingBox())!;
  assert.ok(phone.width <= 360 && phone.width >= 300, `phone-sized (${phone.width} px)`);
  assert.match(await ap.textContent('[data-field="state"]') ?? '', /Waiting for approval/);
  await noSeriousViolations(ap, 'alert review');
  await ap.click('button:has-text("Approve and issue")');
  await ap.waitForSelector('[data-life="issued"]');
  await ap.waitForSelector('#nav a[href="#/approvals"] .nav-badge[data-count="1"]');

  // The operator who drafted: no approve button anywhere, and no badge.
  const op = await desk.context.newPage();
  await signIn(op, app.url, 'olga');
  await op.goto(`${app.url}/console.html#/alert/${second.id}`);
  await op.waitForSelector('.role-hint');
  assert.equal(await op.locator('button:has-text("Approve")').count(), 0);
  assert.match(await op.textContent('.role-hint') ?? '', /An approver must approve this/);
  assert.equal(await op.locator('button:has-text("Withdraw draft")').count(), 1, 'the drafter may withdraw');
  await new Promise((r) => setTimeout(r, 500));
  assert.equal(await op.locator('.nav-badge').count(), 0, 'operators get no approvals badge');
  await op.close();
  await ap.close();
});

test('alert buttons follow the role and the state: operators request a false alarm, approvers send it, an ended alert offers nothing', async (t) => {
  if (skipWithoutChromium(t)) return;
  const a = await api('olga', 'POST', '/api/alerts', draftBody('Roles drill'));
  await api('avi', 'POST', `/api/alerts/${a.id}/approve`, {});

  const op = await desk.context.newPage();
  await signIn(op, app.url, 'olga');
  await op.goto(`${app.url}/console.html#/alert/${a.id}`);
  await op.waitForSelector('[data-life="issued"]');
  const buttons = async (page: typeof op) => (await page.$$eval('.row-actions button', (bs) => bs.map((b) => b.textContent))).sort();
  assert.deepEqual(await buttons(op), ['Cancel alert', 'Request false-alarm cancel', 'Send update'], 'the server answers 403 to an operator\'s false alarm: it is not offered');
  op.once('dialog', (d) => void d.accept());
  await op.click('button:has-text("Request false-alarm cancel")');
  await op.waitForSelector('.msg.ok:has-text("an approver must approve it")');
  const drafts = await (await fetch(`${app.url}/api/alerts?state=draft`, { headers: { authorization: `Bearer ${await app.server.ctx.accounts.createApiToken('avi')}` } })).json() as { alerts: Array<{ msgType: string; createdBy: string }> };
  assert.ok(drafts.alerts.some((r) => r.msgType === 'Cancel' && r.createdBy === 'olga'), 'a cancel drafted by the operator waits for approval');

  const ap = await desk.context.newPage();
  await signIn(ap, app.url, 'avi');
  await ap.goto(`${app.url}/console.html#/alert/${a.id}`);
  await ap.waitForSelector('[data-life="issued"]');
  assert.deepEqual(await buttons(ap), ['Cancel alert', 'False alarm', 'Send update']);
  ap.once('dialog', (d) => void d.accept());
  await ap.click('button:has-text("False alarm")');
  await ap.waitForSelector('[data-life="false-alarm"]');
  assert.deepEqual(await buttons(ap), [], 'an ended alert offers no update or cancel');
  assert.match(await ap.textContent('.role-hint') ?? '', /has ended/);
  assert.match(await ap.textContent('[data-field="state"]') ?? '', /False alarm \(cancelled\)/);
  await noSeriousViolations(ap, 'ended alert');
  await op.reload();
  await op.waitForSelector('[data-life="false-alarm"]');
  assert.deepEqual(await buttons(op), []);
  await ap.close();
  await op.close();
});

test('the alert log lists every alert with its state and people, searches, and exports CSV', async (t) => {
  if (skipWithoutChromium(t)) return;
  // One alert updated, one cancelled by a second person, one still issued, one waiting.
  const updated = await api('olga', 'POST', '/api/alerts', draftBody('Log drill updated'));
  await api('avi', 'POST', `/api/alerts/${updated.id}/approve`, {});
  const update = await api('olga', 'POST', '/api/alerts', { ...draftBody('Log drill update'), msgType: 'Update', references: [updated.id] });
  await api('avi', 'POST', `/api/alerts/${update.id}/approve`, {});
  const waiting = await api('olga', 'POST', '/api/alerts', draftBody('Log drill, waiting'));
  const wrong = await api('olga', 'POST', '/api/alerts', draftBody('Log drill, a mistake'));
  await api('avi', 'POST', `/api/alerts/${wrong.id}/approve`, {});
  await api('avi', 'POST', `/api/alerts/${wrong.id}/cancel`, { falseAlarm: true });

  const page = await desk.context.newPage();
  await signIn(page, app.url, 'olga');
  await page.goto(`${app.url}/console.html#/active`);
  await page.waitForSelector(`.alert-log tr[data-alert="${updated.id}"]`);
  const life = async (id: string) => page.getAttribute(`.alert-log tr[data-alert="${id}"]`, 'data-life');
  assert.equal(await life(updated.id), 'updated');
  assert.equal(await life(update.id), 'issued');
  assert.equal(await life(waiting.id), 'draft');
  const row = (await page.textContent(`.alert-log tr[data-alert="${update.id}"]`)) ?? '';
  assert.match(row, /olga/);
  assert.match(row, /avi/);
  assert.match(row, /Issued \(active\)/);
  // Every alert of the server is listed (the earlier tests' ones too).
  const listed = await (await fetch(`${app.url}/api/alerts?state=any&limit=1000`, { headers: { authorization: `Bearer ${await app.server.ctx.accounts.createApiToken('olga')}` } })).json() as { alerts: Array<{ falseAlarm: boolean; state: string; cap: { info: Array<{ headline?: string }> } }> };
  // Prepared false-alarm cancels that were never sent are not alerts; every other record is.
  const all = { alerts: listed.alerts.filter((a) => !(a.falseAlarm && a.state !== 'issued')) };
  assert.ok(all.alerts.length < listed.alerts.length, 'the update withdrew a prepared cancel, which the log leaves out');
  assert.equal(await page.locator('.alert-log tbody tr').count(), all.alerts.length);
  assert.equal(await life(wrong.id), 'false-alarm');
  await noSeriousViolations(page, 'alert log');

  // The search finds the four alerts of this test and the false-alarm Cancel that went out (its headline names it).
  const matching = all.alerts.filter((a) => /log drill/i.test(a.cap.info[0]?.headline ?? '')).length;
  assert.equal(matching, 5);
  await page.fill('#alog-q', 'Log drill');
  await page.waitForFunction((n) => document.querySelectorAll('.alert-log tbody tr').length === n, matching);
  assert.match(await page.textContent('.alog-count') ?? '', new RegExp(`^5 of ${all.alerts.length} alerts$`));
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('.alert-log a.export')]);
  assert.equal(download.suggestedFilename(), 'refuge-alerts.csv');
  const csv = readFileSync((await download.path())!, 'utf8');
  assert.ok(csv.startsWith('\uFEFF'), 'UTF-8 with a byte-order mark');
  const lines = csv.slice(1).trim().split('\r\n');
  assert.equal(lines[0], 'Id,When (UTC),CAP status,CAP message type,State,Headline,Regions,Drafted,Approved,On live stream,Push: devices targeted,Push accepted,Push failed');
  assert.equal(lines.length, 6);
  assert.ok(lines.some((l) => l.startsWith(`${waiting.id},`) && l.includes(',Alert,Waiting for approval,"EXERCISE - Log drill, waiting",') && l.endsWith(',olga,,,,,')), csv);
  assert.ok(lines.some((l) => l.startsWith(`${updated.id},`) && l.includes(',Alert,Updated (replaced by a newer message),') && /,olga,avi,\d+,\d+,\d+,\d+$/.test(l)), csv);
  assert.ok(lines.some((l) => l.startsWith(`${wrong.id},`) && l.includes(',False alarm (cancelled),')), csv);
  await page.close();
});

test("the alert page follows someone else's cancel live", async (t) => {
  if (skipWithoutChromium(t)) return;
  const a = await api('olga', 'POST', '/api/alerts', draftBody('Live page drill'));
  await api('avi', 'POST', `/api/alerts/${a.id}/approve`, {});
  const page = await desk.context.newPage();
  await signIn(page, app.url, 'olga');
  await page.goto(`${app.url}/console.html#/alert/${a.id}`);
  await page.waitForSelector('[data-life="issued"]');
  // The approver sends the false alarm from elsewhere: the open page turns to "False alarm" without a reload.
  await api('avi', 'POST', `/api/alerts/${a.id}/cancel`, { falseAlarm: true });
  await page.waitForSelector('[data-life="false-alarm"]');
  assert.equal(await page.locator('.row-actions button').count(), 0);
  await page.close();
});

test('a live redraw of an alert page the console has left draws nothing over the screen the address names', async (t) => {
  if (skipWithoutChromium(t)) return;
  const a = await api('olga', 'POST', '/api/alerts', draftBody('Left page drill'));
  await api('avi', 'POST', `/api/alerts/${a.id}/approve`, {});
  const page = await desk.context.newPage();
  t.after(() => page.close());
  await signIn(page, app.url, 'olga');
  await page.goto(`${app.url}/console.html#/alert/${a.id}`);
  await page.waitForSelector('[data-life="issued"]');
  // After the cancel the page reads the alert (has it changed?), then starts its redraw, which reads it again: that
  // second reading is held back (a slow network) until the operator has gone to the alert log.
  let release!: () => void;
  const held = new Promise<void>((resolve) => { release = resolve; });
  let cancelled = false;
  let reads = 0;
  await page.route(`**/api/alerts/${a.id}`, async (route) => {
    if (cancelled && ++reads === 2) await held;
    await route.continue();
  });
  cancelled = true;
  await api('avi', 'POST', `/api/alerts/${a.id}/cancel`, { falseAlarm: true });
  for (let i = 0; i < 200 && reads < 2; i++) await new Promise((r) => setTimeout(r, 50));
  assert.equal(reads, 2, 'the page read the alert, then began to redraw it');
  await page.evaluate(() => { location.hash = '#/alert-log'; });
  await page.waitForSelector('.alert-log tbody tr');
  release();
  // The held reading ends; the redraw it started must not replace the log.
  for (let i = 0; i < 20; i++) {
    await new Promise((r) => setTimeout(r, 100));
    assert.equal(await page.locator('dd[data-field="state"]').count(), 0, 'no alert page drawn over the log');
  }
  assert.ok(await page.isVisible('.alert-log'), 'the log stays');
});
