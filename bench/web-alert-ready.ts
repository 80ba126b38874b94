// Page open to alert-ready on the public page: the live alerts are on screen and the alert stream is open
// (performance mark refuge:alerts-ready), with an alert already live. Goal under 1 s. Measured with software WebGL
// (SwiftShader, as a phone without a usable GPU), with WebGL disabled (the list replaces the map) and in Hebrew
// (another dictionary), each in a fresh profile. Beside it: what the page fetched before the alert was ready (the
// alert path: the entry, the alert screens, one dictionary, the CSS and the alert requests) and when the map
// followed (refuge:shelters-drawn, same run).
//   node --import tsx bench/web-alert-ready.ts            (REFUGE_BENCH_RUNS=n for another number of runs than 5)
import { cpus, loadavg } from 'node:os';
import { startApp, seedRegions, launchBrowser } from '../test/e2e/harness.ts';

const RUNS = Number(process.env.REFUGE_BENCH_RUNS ?? 5);

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

interface Run { alertsReady: number; drawn: number | null; files: number; scriptBytes: number; scriptEncoded: number }

async function measure(url: string, args: string[]): Promise<Run> {
  const browser = await launchBrowser({ viewport: { width: 412, height: 860 }, args });
  try {
    const page = await browser.context.newPage();
    await page.goto(url);
    await page.waitForSelector('body[data-alerts-ready=true]', { timeout: 60_000 });
    await page.waitForSelector('#alert-board .board-headline', { timeout: 60_000 });
    await page.waitForSelector('body[data-ready=true]', { timeout: 60_000 });
    return await page.evaluate(() => {
      const ready = performance.getEntriesByName('refuge:alerts-ready')[0].startTime;
      // Scripts and styles asked for before the alert was ready: what the alert path costs to fetch.
      const before = (performance.getEntriesByType('resource') as PerformanceResourceTiming[])
        .filter((r) => r.startTime < ready && /\.(m?js|css)$/.test(new URL(r.name).pathname));
      return {
        alertsReady: ready,
        drawn: performance.getEntriesByName('refuge:shelters-drawn')[0]?.startTime ?? null,
        files: before.length,
        scriptBytes: before.reduce((s, r) => s + r.decodedBodySize, 0),
        scriptEncoded: before.reduce((s, r) => s + r.encodedBodySize, 0),
      };
    });
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

const NO_WEBGL = ['--disable-webgl', '--disable-3d-apis'];
const configs: Array<[label: string, path: string, args: string[]]> = [
  ['software WebGL (map drawn)', '/', []],
  ['WebGL disabled (list)', '/', NO_WEBGL],
  ['WebGL disabled, Hebrew', '/?lang=he', NO_WEBGL],
];
const loadBefore = loadavg()[0];
const rows: string[] = [];
const all: number[] = [];
for (const [label, path, args] of configs) {
  const runs: Run[] = [];
  for (let i = 0; i < RUNS; i++) runs.push(await measure(app.url + path, args));
  const ready = runs.map((r) => r.alertsReady);
  all.push(...ready);
  const drawn = runs.flatMap((r) => (r.drawn === null ? [] : [r.drawn]));
  const last = runs[runs.length - 1];
  rows.push(`| ${label} | ${median(ready).toFixed(0)} ms | ${Math.min(...ready).toFixed(0)}-${Math.max(...ready).toFixed(0)} ms (${ready.map((x) => x.toFixed(0)).join(', ')}) | ${drawn.length ? `${median(drawn).toFixed(0)} ms` : 'no map'} | ${last.files} files, ${(last.scriptBytes / 1024).toFixed(0)} KB (${(last.scriptEncoded / 1024).toFixed(0)} KB sent) |`);
}
await app.close();
console.log(`machine: ${cpus().length} x ${cpus()[0]?.model ?? '?'}, Node ${process.version}, load average ${loadBefore.toFixed(1)} at the start, ${loadavg()[0].toFixed(1)} at the end; ${new Date().toISOString().slice(0, 10)}`);
console.log(`| page | open -> alert-ready, median of ${RUNS} | range (runs) | map drawn (shelters), median | JS and CSS asked for before alert-ready (last run) |`);
console.log('|---|---|---|---|---|');
for (const r of rows) console.log(r);
console.log(`all ${all.length} runs: median ${median(all).toFixed(0)} ms, ${all.filter((x) => x < 1000).length} under 1 s`);
