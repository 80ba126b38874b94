// A resident's page holds two alert streams (the public board's, every public alert, and the one for their position);
// the delivery figures must count that browser once. Both streams sent different ids before (refuge.client and
// refuge.clientId), so one resident counted as two clients reached. Also: a browser that kept the old id keeps it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { launchBrowser, skipWithoutChromium, withAlertApp, apiCall, type App } from './harness.ts';

let scene: { app: App; operator: string; approver: string };
withAlertApp((s) => { scene = s; });

const INDRE_BY = { latitude: 55.676, longitude: 12.572 };

/** Resolves once the page's stream whose query matches `pattern` has answered (the server holds it open then). */
function streamOpened(page: Page, pattern: RegExp): Promise<string> {
  return page.waitForResponse((r) => r.url().includes('/api/alerts/stream') && pattern.test(r.url()), { timeout: 60_000 }).then((r) => r.url());
}

async function issue(headline: string): Promise<{ id: string; seq: number }> {
  const { app, operator, approver } = scene;
  const draft = await apiCall(app.url, 'POST', '/api/alerts', operator, {
    status: 'Exercise', msgType: 'Alert', event: 'missile', urgency: 'Immediate', severity: 'Extreme', certainty: 'Observed',
    headline, instruction: 'Go to the nearest shelter now.', regions: ['DK-IB'], expires: new Date(Date.now() + 20 * 60_000).toISOString(),
  });
  const issued = await apiCall(app.url, 'POST', `/api/alerts/${draft.id}/approve`, approver, {});
  return { id: String(draft.id), seq: Number(issued.seq) };
}

/** The stream figure once it is reported (the hub counts every connected stream when it writes the event). */
async function reached(id: string): Promise<number> {
  const end = Date.now() + 30_000;
  for (;;) {
    const f = await apiCall(scene.app.url, 'GET', `/api/alerts/${id}/delivery`, scene.operator);
    if (f.stream.reached > 0 || Date.now() > end) return f.stream.reached;
    await new Promise((r) => setTimeout(r, 200));
  }
}

test('a page with the board stream and the position stream counts as one client reached', async (t) => {
  if (skipWithoutChromium(t)) return;
  const browser = await launchBrowser({ geolocation: INDRE_BY });
  try {
    const page = await browser.context.newPage();
    const board = streamOpened(page, /[?&]all=1/);
    const position = streamOpened(page, /[?&]lat=/);
    await page.goto(scene.app.url + '/');
    const [boardUrl, positionUrl] = await Promise.all([board, position]);
    const idOf = (u: string) => new URL(u).searchParams.get('client');
    assert.ok(idOf(boardUrl), 'the board stream sends an id');
    assert.equal(idOf(positionUrl), idOf(boardUrl), 'both streams send the same id');

    const { id } = await issue('Exercise: one browser, two streams');
    await page.waitForSelector('text=Exercise: one browser, two streams', { timeout: 30_000 });
    assert.equal(await reached(id), 1, 'one browser is one client reached, whatever the number of its streams');
  } finally {
    await browser.close();
  }
});

test('a browser that kept the position stream\'s old id keeps it for both streams', async (t) => {
  if (skipWithoutChromium(t)) return;
  const browser = await launchBrowser({ geolocation: INDRE_BY });
  try {
    const page = await browser.context.newPage();
    await page.goto(scene.app.url + '/healthz');
    await page.evaluate(() => { localStorage.clear(); localStorage.setItem('refuge.clientId', 'kept-from-before-0001'); });
    const board = streamOpened(page, /[?&]all=1/);
    const position = streamOpened(page, /[?&]lat=/);
    await page.goto(scene.app.url + '/');
    const ids = (await Promise.all([board, position])).map((u) => new URL(u).searchParams.get('client'));
    assert.deepEqual(ids, ['kept-from-before-0001', 'kept-from-before-0001']);
    assert.deepEqual(await page.evaluate(() => [localStorage.getItem('refuge.client'), localStorage.getItem('refuge.clientId')]), ['kept-from-before-0001', null]);
  } finally {
    await browser.close();
  }
});
