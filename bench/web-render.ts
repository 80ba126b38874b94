// Web budgets: first render of 5,000 shelters in the public map (goal under 1.5 s) and the app's own JavaScript
// gzipped (goal under 150 KB, MapLibre aside). Real server on a temp database, Debian's Chromium, fresh profile.
//   node --import tsx bench/web-render.ts
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { join } from 'node:path';
import { cpus, loadavg } from 'node:os';
import { startApp, launchBrowser, WEB_DIST, ensureWebBuilt } from '../test/e2e/harness.ts';
import type { RunningServer } from '../src/server/index.ts';

const RUNS = 5;
const TARGET = 5000;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

/** Adds generated shelters around central Copenhagen until the registry holds `n`. */
async function fillTo(server: RunningServer, n: number): Promise<void> {
  const reg = server.ctx.registry;
  let i = reg.all().length;
  const statuses = ['open', 'open', 'unknown', 'full', 'locked', 'closed'] as const;
  for (; i < n; i++) {
    await reg.create({ name: `Generated shelter ${i}`, lat: 55.64 + ((i * 7919) % 5000) / 5000 * 0.06, lon: 12.52 + ((i * 104729) % 5000) / 5000 * 0.1, capacity: 20 + (i % 300), status: statuses[i % statuses.length] }, 'bench');
  }
}

/** A first visit in a new profile, then (on the same browser) a repeat visit: the HTTP cache holds the immutable
 * assets and revalidates the snapshot (304). Returns both times. */
async function firstRender(url: string): Promise<[first: number, repeat: number]> {
  const browser = await launchBrowser({ viewport: { width: 412, height: 860 } });
  try {
    const drawn = async () => {
      const page = await browser.context.newPage();
      await page.goto(url);
      await page.waitForSelector('body[data-ready=true]', { timeout: 60_000 });
      const ms = await page.evaluate(() => performance.getEntriesByName('refuge:shelters-drawn')[0].startTime);
      await page.close();
      return ms;
    };
    return [await drawn(), await drawn()];
  } finally {
    await browser.close();
  }
}

interface Config { label: string; app: Awaited<ReturnType<typeof startApp>>; ms: number[]; repeat: number[] }

async function setup(label: string, count: number, shelters = true): Promise<Config> {
  const app = await startApp(undefined, { shelters });
  await fillTo(app.server, count);
  return { label, app, ms: [], repeat: [] };
}

function bundle(): { own: Array<[string, number]>; maplibre: Array<[string, number]> } {
  const dir = join(WEB_DIST, 'assets');
  const own: Array<[string, number]> = [];
  const maplibre: Array<[string, number]> = [];
  for (const f of readdirSync(dir)) {
    if (!/\.(m?js|css)$/.test(f)) continue;
    const gz = gzipSync(readFileSync(join(dir, f)), { level: 9 }).length;
    (f.startsWith('maplibre') ? maplibre : own).push([f, gz]);
  }
  const sw = join(WEB_DIST, 'sw.js');
  own.push(['sw.js', gzipSync(readFileSync(sw), { level: 9 }).length]);
  void statSync;
  return { own, maplibre };
}

/** What the public page fetches before its alert is ready: the files index.html names (entry, modulepreloads, CSS)
 * and one dictionary (English). gzip -9 sizes. */
function alertPath(): Array<[string, number]> {
  const html = readFileSync(join(WEB_DIST, 'index.html'), 'utf8');
  const named = [...html.matchAll(/(?:src|href)="\/(assets\/[^"]+\.(?:m?js|css))"/g)].map((m) => m[1]);
  const en = readdirSync(join(WEB_DIST, 'assets')).find((f) => /^en-[^.]+\.js$/.test(f));
  return [...named, ...(en ? [`assets/${en}`] : [])].map((f) => [f, gzipSync(readFileSync(join(WEB_DIST, f)), { level: 9 }).length]);
}

await ensureWebBuilt();
const loadBefore = loadavg()[0];
// Anchor: the same app, server and street network with an empty registry (what MapLibre and the page cost alone).
// The three are measured in turn, run after run, so that the load of the shared machine falls on all of them alike.
const configs = [await setup('anchor: empty registry', 0, false), await setup('demo registry (Copenhagen)', 0), await setup(`${TARGET} shelters`, TARGET)];
for (let r = 0; r < RUNS; r++) {
  for (const c of configs) {
    const [first, repeat] = await firstRender(`${c.app.url}/?nosw`);
    c.ms.push(first);
    c.repeat.push(repeat);
  }
}
for (const c of configs) await c.app.close();
const [anchor, demo, big] = configs.map((c) => ({ label: c.label, count: c.app.server.ctx.registry.all().length, ms: c.ms, repeat: c.repeat }));
const b = bundle();
const alert = alertPath();
const ownJs = b.own.filter(([f]) => /\.(m?js)$/.test(f)).reduce((s, [, n]) => s + n, 0);
const ownCss = b.own.filter(([f]) => f.endsWith('.css')).reduce((s, [, n]) => s + n, 0);
// What one resident's browser fetches for the public page: everything but the console and the five other languages.
const DICT = /^(en|uk|he|da|ar|ru)-[^.]+\.js$/;
const publicJs = b.own.filter(([f]) => /\.(m?js)$/.test(f) && !f.startsWith('console') && (!DICT.test(f) || f.startsWith('en-'))).reduce((s, [, n]) => s + n, 0);
const libJs = b.maplibre.filter(([f]) => /\.(m?js)$/.test(f)).reduce((s, [, n]) => s + n, 0);

const lines = [
  `machine: ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, Node ${process.version}, Chromium headless (software GL: SwiftShader), load average ${loadBefore.toFixed(2)} at the start and ${loadavg()[0].toFixed(2)} at the end`,
  '',
  '| first render (navigation start -> first frame with the shelters drawn), first visit | shelters | runs (ms) | median (ms) | vs 1,500 ms budget | repeat visit, median (ms) |',
  '|---|---|---|---|---|---|',
  ...[anchor, demo, big].map((m) => `| ${m.label} | ${m.count} | ${m.ms.map((x) => Math.round(x)).join(', ')} | ${Math.round(median(m.ms))} | ${(median(m.ms) / 1500).toFixed(2)}× | ${Math.round(median(m.repeat))} |`),
  '',
  `ratio 5,000 / anchor: ${(median(big.ms) / median(anchor.ms)).toFixed(2)}×; demo (${demo.count}) / anchor: ${(median(demo.ms) / median(anchor.ms)).toFixed(2)}×; shelters' own share of the 5,000 render: ${Math.round(median(big.ms) - median(anchor.ms))} ms`,
  '',
  '| bundle (gzip -9) | KB |',
  '|---|---|',
  ...b.own.map(([f, n]) => `| own: ${f} | ${(n / 1024).toFixed(1)} |`),
  ...b.maplibre.map(([f, n]) => `| MapLibre: ${f} | ${(n / 1024).toFixed(1)} |`),
  `| **own JavaScript total** (every file built: both pages, all six dictionaries) | **${(ownJs / 1024).toFixed(1)}** (budget 150; ${(ownJs / (150 * 1024)).toFixed(2)}× of it; ${(ownJs / libJs).toFixed(3)}× MapLibre's ${(libJs / 1024).toFixed(0)} KB) |`,
  `| public page's own JavaScript, one language (no console, one dictionary) | ${(publicJs / 1024).toFixed(1)} (budget 150; ${(publicJs / (150 * 1024)).toFixed(2)}× of it) |`,
  `| own CSS | ${(ownCss / 1024).toFixed(1)} |`,
  '',
  '| public page: fetched before the alert is ready (gzip -9) | KB |',
  '|---|---|',
  ...alert.map(([f, n]) => `| ${f} | ${(n / 1024).toFixed(1)} |`),
  `| **alert path total** (of which JavaScript ${(alert.filter(([f]) => /\.m?js$/.test(f)).reduce((s, [, n]) => s + n, 0) / 1024).toFixed(1)}) | **${(alert.reduce((s, [, n]) => s + n, 0) / 1024).toFixed(1)}** |`,
];
console.log(lines.join('\n'));
