// GET /api/shelters?bbox= over 10,000 shelters: HTTP latency (autocannon in a separate process), and the in-process
// query against a naive linear scan as the anchor.
// Run: node --import tsx bench/shelters-bbox.ts
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawn } from 'node:child_process';
import { startServer } from '../src/server/index.ts';

const N = 10_000;
const dir = mkdtempSync(join(tmpdir(), 'refuge-bench-'));
const server = await startServer({ dbPath: join(dir, 'b.db') });
let seed = 42;
const rand = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
await server.ctx.registry.importFromSource({ name: 'bench', attribution: null, licence: null },
  Array.from({ length: N }, (_, i) => ({ sourceId: String(i), name: `S${i}`, lat: 55.6 + rand() * 0.1, lon: 12.5 + rand() * 0.15, capacity: 50 + (i % 400) })), null);

// A neighbourhood-sized box (about 1 km square): the map's typical request.
const boxes = Array.from({ length: 1000 }, () => { const lon = 12.5 + rand() * 0.14, lat = 55.6 + rand() * 0.09; return [lon, lat, lon + 0.015, lat + 0.009] as [number, number, number, number]; });
const reg = server.ctx.registry;
reg.query({ bbox: boxes[0] });
let t = process.hrtime.bigint();
let found = 0;
for (const b of boxes) found += reg.query({ bbox: b }).total;
const indexedUs = Number(process.hrtime.bigint() - t) / 1e3 / boxes.length;
const all = reg.all();
t = process.hrtime.bigint();
let naive = 0;
for (const b of boxes) naive += all.filter((s) => !s.decommissionedAt && s.lon >= b[0] && s.lon <= b[2] && s.lat >= b[1] && s.lat <= b[3]).length;
const naiveUs = Number(process.hrtime.bigint() - t) / 1e3 / boxes.length;
if (naive !== found) throw new Error(`index found ${found}, scan ${naive}`);
console.log(`in process: indexed bbox query ${indexedUs.toFixed(1)} µs, naive scan ${naiveUs.toFixed(1)} µs, ratio ${(naiveUs / indexedUs).toFixed(1)}x faster (avg ${(found / boxes.length).toFixed(1)} shelters per box)`);

const b = boxes[1];
const url = `${server.url}/api/shelters?bbox=${b.join(',')}`;
// The load runs in its own process, asynchronously, so this process's event loop stays free to serve.
const out = await new Promise<string>((resolve, reject) => {
  const child = spawn(process.execPath, ['node_modules/autocannon/autocannon.js', '-c', '10', '-d', '10', '--json', url], { stdio: ['ignore', 'pipe', 'ignore'] });
  let text = '';
  child.stdout.on('data', (d) => (text += d));
  child.on('exit', (code) => (code === 0 ? resolve(text) : reject(new Error(`autocannon exited ${code}`))));
});
const res = JSON.parse(out);
console.log(`HTTP GET /api/shelters?bbox (10 connections, 10 s, autocannon in its own process): ${Math.round(res.requests.average)} req/s, latency p50 ${res.latency.p50} ms, p99 ${res.latency.p99} ms, errors ${res.errors + res.non2xx}`);
await server.close();
rmSync(dir, { recursive: true, force: true });
