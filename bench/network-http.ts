// HTTP load on GET /api/nearest: the server runs as its own process (`refuge serve`) with the Copenhagen registry and
// network; this process generates the load with autocannon over loopback for a bounded time, random origins.
// Run: node --import tsx bench/network-http.ts [seconds=10] [connections=10] [rate=2000]
// Two phases: saturation (as fast as the server answers), then a fixed offered rate (the goal's 2,000 req/s) for p99.
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { seeded, KBH_PBF } from '../test/network/fixtures.ts';

const seconds = Number(process.argv[2] ?? 10);
const connections = Number(process.argv[3] ?? 10);
const rate = Number(process.argv[4] ?? 2000);
const root = new URL('..', import.meta.url).pathname;
const refuge = join(root, 'bin/refuge.js');
const dir = mkdtempSync(join(tmpdir(), 'refuge-bench-http-'));
const db = join(dir, 'refuge.db');
execFileSync('node', [refuge, 'import', 'shelters', join(root, 'data/demo/copenhagen-shelters.geojson'), '--db', db], { stdio: 'ignore' });
execFileSync('node', [refuge, 'import', 'network', KBH_PBF, '--db', db], { stdio: 'ignore' });

const port = await new Promise<number>((resolve) => {
  const s = createServer().listen(0, '127.0.0.1', () => {
    const p = (s.address() as { port: number }).port;
    s.close(() => resolve(p));
  });
});
const server = spawn('node', [refuge, 'serve', '--db', db, '--port', String(port)], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, LOG_LEVEL: 'warn' } });
const started = performance.now();
await new Promise<void>((resolve, reject) => {
  server.stdout.on('data', (b: Buffer) => { if (b.toString().includes('is serving')) resolve(); });
  server.once('exit', (code) => reject(new Error(`server exited with ${code}`)));
});
const startMs = performance.now() - started;

const rnd = seeded(1);
const paths = Array.from({ length: 5000 }, () => {
  const lat = 55.645 + rnd() * 0.045, lon = 12.53 + rnd() * 0.085;
  return `/api/nearest?lat=${lat.toFixed(6)}&lon=${lon.toFixed(6)}&k=3&within=90`;
});
let i = 0;
const base = `http://127.0.0.1:${port}`;
const check = await (await fetch(base + paths[0])).json() as { mode: string; results: unknown[] };
await autocannon({ url: base, connections, duration: 2, requests: [{ setupRequest: (r) => ({ ...r, path: paths[i++ % paths.length] }) }] }); // warm-up
const result = await autocannon({ url: base, connections, duration: seconds, requests: [{ setupRequest: (r) => ({ ...r, path: paths[i++ % paths.length] }) }] });
const fixed = await autocannon({ url: base, connections, duration: seconds, overallRate: rate, requests: [{ setupRequest: (r) => ({ ...r, path: paths[i++ % paths.length] }) }] });
server.kill('SIGTERM');
await new Promise((r) => server.once('exit', r));
rmSync(dir, { recursive: true, force: true });

console.log(`server process start to listening (incl. tsx, network file load, shelter snapping, labels): ${startMs.toFixed(0)} ms; first answer mode ${check.mode} with ${check.results.length} results`);
console.log(`| GET /api/nearest, saturation, ${connections} connections, ${seconds} s | ${result.requests.average.toFixed(0)} req/s | p50 ${result.latency.p50} ms | p99 ${result.latency.p99} ms | errors ${result.errors}, non-2xx ${result.non2xx} | goal 2000 req/s with p99 < 10 ms |`);
console.log(`| GET /api/nearest, offered ${rate} req/s, ${connections} connections, ${seconds} s | ${fixed.requests.average.toFixed(0)} req/s | p50 ${fixed.latency.p50} ms | p99 ${fixed.latency.p99} ms | errors ${fixed.errors}, non-2xx ${fixed.non2xx} | |`);
