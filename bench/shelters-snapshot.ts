// The map's registry download when a city opens Refuge at once: GET /api/shelters/snapshot (built and compressed once
// per change) against the anchor GET /api/shelters?limit=5000 (serialised and compressed per request), 5,000 shelters,
// brotli accepted as browsers do. autocannon runs in its own process.
// Run: node --import tsx bench/shelters-snapshot.ts
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir, cpus } from 'node:os';
import { join } from 'node:path';
import { spawn } from 'node:child_process';
import { startServer } from '../src/server/index.ts';

const N = 5000;
const dir = mkdtempSync(join(tmpdir(), 'refuge-bench-'));
const server = await startServer({ dbPath: join(dir, 'b.db') });
let seed = 7;
const rand = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
await server.ctx.registry.importFromSource({ name: 'bench', attribution: 'Bench data', licence: 'CC0' },
  Array.from({ length: N }, (_, i) => ({ sourceId: String(i), name: `Shelter ${i}`, address: `Street ${i % 300} ${i % 40}`, lat: 55.6 + rand() * 0.1, lon: 12.5 + rand() * 0.15, capacity: 50 + (i % 400) })), null);

function load(url: string): Promise<{ rps: number; p50: number; p99: number; bytes: number; errors: number }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['node_modules/autocannon/autocannon.js', '-c', '20', '-d', '10', '-H', 'accept-encoding=br, gzip', '--json', url], { stdio: ['ignore', 'pipe', 'ignore'] });
    let text = '';
    child.stdout.on('data', (d) => (text += d));
    child.on('exit', (code) => {
      if (code !== 0) return reject(new Error(`autocannon exited ${code}`));
      const r = JSON.parse(text);
      resolve({ rps: r.requests.average, p50: r.latency.p50, p99: r.latency.p99, bytes: r.throughput.average / Math.max(1, r.requests.average), errors: r.errors + r.non2xx });
    });
  });
}

const snapshot = await load(`${server.url}/api/shelters/snapshot`);
const anchor = await load(`${server.url}/api/shelters?limit=5000`);
console.log(`machine: ${cpus().length} × ${cpus()[0]?.model}, Node ${process.version}; ${N} shelters; 20 connections, 10 s each, Accept-Encoding br`);
console.log('| endpoint | req/s | p50 ms | p99 ms | bytes per answer | errors |');
console.log('|---|---|---|---|---|---|');
for (const [name, r] of [['GET /api/shelters/snapshot', snapshot], ['anchor: GET /api/shelters?limit=5000 (per-request)', anchor]] as const) {
  console.log(`| ${name} | ${Math.round(r.rps)} | ${r.p50} | ${r.p99} | ${Math.round(r.bytes)} | ${r.errors} |`);
}
console.log(`snapshot / anchor: ${(snapshot.rps / anchor.rps).toFixed(1)}× the requests per second, p99 ${(anchor.p99 / snapshot.p99).toFixed(1)}× lower`);
await server.close();
rmSync(dir, { recursive: true, force: true });
