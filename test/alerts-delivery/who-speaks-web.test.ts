// Residents always see who speaks: in a real Chromium, the public alert screen names Refuge on our own alert and
// says plainly that another authority's alert comes from another authority, with that authority's configured name.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { capToXml, generateSigningKeyPair, signCap, trustedAuthority, type CapAlert } from '../../src/alerts/index.ts';
import { alertServices } from '../../src/server/capabilities/alerts-lifecycle.ts';
import { chromiumAvailable, launchBrowser, seedRegions, startApp } from '../e2e/harness.ts';

test('the alert screen names who speaks: "Issued by Refuge" on ours, "another authority" with its configured name on an import', async (t) => {
  if (!chromiumAvailable()) return t.skip('Chromium is not installed at /usr/bin/chromium (.ci/run installs it with apt)');
  const app = await startApp(seedRegions, { shelters: false });
  t.after(() => app.close());
  const tokens = { olga: await app.server.ctx.accounts.createApiToken('olga'), avi: await app.server.ctx.accounts.createApiToken('avi') };
  const api = async (who: keyof typeof tokens, path: string, body: unknown, type = 'application/json') => {
    const res = await fetch(app.url + path, { method: 'POST', headers: { authorization: `Bearer ${tokens[who]}`, 'content-type': type }, body: typeof body === 'string' ? body : JSON.stringify(body) });
    const json = await res.json() as Record<string, any>;
    if (!res.ok) throw new Error(`${path}: ${res.status} ${JSON.stringify(json)}`);
    return json;
  };
  const phone = await launchBrowser({ geolocation: { latitude: 55.675, longitude: 12.57 } });
  t.after(() => phone.close());
  const page = await phone.context.newPage();
  await page.goto(app.url + '/');
  await page.waitForSelector('body[data-ready=true]');
  await page.waitForFunction(() => document.querySelector('#watch')?.textContent?.includes('Receiving'));

  const draft = await api('olga', '/api/alerts', { status: 'Actual', event: 'missile', headline: 'Missile attack: take cover', instruction: 'Go to the nearest shelter now.', regions: ['DK-IB'], expires: new Date(Date.now() + 20 * 60_000).toISOString() });
  await api('avi', `/api/alerts/${draft.id}/approve`, {});
  await page.waitForSelector('#alert.actual:not([hidden]) .from');
  assert.equal((await page.textContent('#alert .from'))?.trim(), 'Issued by Refuge');
  assert.equal(await page.locator('#alert .other-authority').count(), 0);
  await api('avi', `/api/alerts/${draft.id}/cancel`, { falseAlarm: true });
  await page.waitForSelector('#alert.all-clear .from');
  await page.click('#alert button');

  // Another authority, trusted on the host, sends a signed alert: the screen says whose it is and that it is not ours.
  const key = generateSigningKeyPair();
  await alertServices(app.server.ctx).trusted.put(trustedAuthority({ sender: 'alerts@region-hovedstaden.example', name: 'Region Hovedstaden beredskab', publicKeyPem: key.publicKeyPem, addedBy: 'test', addedAt: new Date().toISOString() }));
  const cap: CapAlert = {
    identifier: 'rh-1', sender: 'alerts@region-hovedstaden.example', sent: new Date(Date.now() - 1000).toISOString(), status: 'Actual', msgType: 'Alert', scope: 'Public',
    note: null, references: [],
    info: [{ language: 'da', category: ['Safety'], event: 'Gasudslip', eventType: null, stage: null, urgency: 'Immediate', severity: 'Severe', certainty: 'Observed',
      headline: 'Gasudslip: luk vinduer', description: null, instruction: 'Bliv indendørs.', onset: null, expires: new Date(Date.now() + 20 * 60_000).toISOString(),
      senderName: 'Anything it claims', web: null, areas: [{ areaDesc: 'Indre By', regionCodes: ['DK-IB'], polygons: [] }] }],
  };
  const imported = await api('avi', '/api/alerts/import', signCap(capToXml(cap), key).signedXml, 'application/xml');
  assert.equal(imported.delivered, true);
  await page.waitForSelector('#alert.actual:not([hidden]) .from.other-authority');
  assert.equal((await page.textContent('#alert .from.other-authority'))?.trim(), 'Issued by Region Hovedstaden beredskab: another authority, relayed by Refuge');
  assert.equal(await page.textContent('#alert-title'), 'Gasudslip: luk vinduer');
});
