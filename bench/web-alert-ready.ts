// Page open to alert-ready on the public page: the live alerts are on screen and the alert stream is open
// (performance mark refuge:alerts-ready), with an alert already live. Goal under 1 s. Measured with software WebGL
// (SwiftShader, as a phone without a usable GPU) and with WebGL disabled (the list replaces the map), against the
// anchor of the previous page, which asked for alerts only once the map was idle (mark refuge:map-idle, same run).
//   node --import tsx bench/web-alert-ready.ts
import { cpus, loadavg } from 'node:os';
import { startApp, seedRegions, launchBrowser } from '../test/e2e/harness.ts';

const RUNS = 5;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

async function measure(url: string, args: string[]): Promise<{ alertsReady: number; mapIdle: number | null }> {
  const browser = await launchBrowser({ viewport: { width: 412, height: 860 }, args });
  try {
    const page = await browser.context.newPage();
    await page.goto(url);
    await page.waitForSelector('body[data-alerts-ready=true]', { timeout: 60_000 });
    await page.waitForSelector('#alert-board .board-headline', { timeout: 60_000 });
    await page.waitForSelector('body[data-ready=true]', { timeout: 60_000 });
    return await page.evaluate(() => ({
      alertsReady: performance.getEntriesByName('refuge:alerts-ready')[0].startTime,
      mapIdle: performance.getEntriesByName('refuge:map-idle')[0]?.startTime ?? null,
    }));
  } finally {
    await browser.close();
  }
}

const app = await startApp(seedRegions);
const token = (name: string) => app.server.ctx.accounts.createApiToken(name);
const [operator, approver] = [await token('olga'), await token('avi')];
const post = async (path: string, tok: string, body: unknown) => {
  const r = await fetch(app.url + path, { method: 'POST', headers: { authorization: `Bearer ${tok}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
  if (r.status >= 300) throw new Error(`${path}: ${r.status} ${await r.text()}`);
  return r.json() as Promise<{ id: string }>;
};
const draft = await post('/api/alerts', operator, {
  status: 'Exercise', msgType: 'Alert', event: 'missile', urgency: 'Immediate', severity: 'Extreme', certainty: 'Observed',
  headline: 'Benchmark alert', description: 'x', instruction: 'x', regions: ['DK-VB'], expires: new Date(Date.now() + 3600_000).toISOString(),
});
await post(`/api/alerts/${draft.id}/approve`, approver, {});

const rows: string[] = [];
for (const [label, args] of [['software WebGL (map drawn)', []], ['WebGL disabled (list)', ['--disable-webgl', '--disable-3d-apis']]] as Array<[string, string[]]>) {
  const ready: number[] = [];
  const idle: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const r = await measure(app.url + '/', args);
    ready.push(r.alertsReady);
    if (r.mapIdle !== null) idle.push(r.mapIdle);
  }
  const anchor = idle.length ? median(idle) : null;
  rows.push(`| ${label} | ${median(ready).toFixed(0)} ms (${ready.map((x) => x.toFixed(0)).join(', ')}) | ${anchor === null ? 'no map' : `${anchor.toFixed(0)} ms`} | ${anchor === null ? '-' : `${(anchor / median(ready)).toFixed(1)}x sooner`} |`);
}
await app.close();
console.log(`machine: ${cpus().length} x ${cpus()[0]?.model ?? '?'}, load ${loadavg().map((l) => l.toFixed(1)).join(' ')}`);
console.log('| page | open -> alert-ready (median of 5, runs) | anchor: open -> map idle (when alerts used to start) | ratio |');
console.log('|---|---|---|---|');
for (const r of rows) console.log(r);
