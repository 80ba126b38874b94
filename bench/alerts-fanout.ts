// Fan-out of alerts to many SSE clients over loopback, through the real server (Fastify, alert capability, SQLite
// outbox, bus, SSE hub). Server processes and client processes are separate Node processes.
//
//   node --import tsx bench/alerts-fanout.ts --clients 10000 --servers 1                 # one process, in-process bus
//   node --import tsx bench/alerts-fanout.ts --clients 50000 --servers 3 --bus nats      # three processes joined by NATS
//   node --import tsx bench/alerts-fanout.ts --clients 50000 --servers 3 --bus redis
//   node --import tsx bench/alerts-fanout.ts --clients 50000 --servers 3 --bus nats --database-url postgres://postgres@127.0.0.1/test
//                                                         (PostgreSQL: a fresh schema of its own, dropped afterwards)
//
// Per alert: time from the approve request until each client has the event (p50, p99, max = last client),
// issue-to-first-delivery, lost and duplicate counts (each client counts the event ids it received), and server memory
// per connection (RSS and heap growth from before the clients connected). Anchor: the goal (0.5 s for one process,
// 1.5 s for three), printed as ratios.
//
// With several servers, alert k is issued (drafted and approved) through server k mod N, so each process's outbox
// worker and bus publication is exercised. With --bus nats the servers share a JetStream stream on a subject of the
// run's own (REFUGE_ALERT_BUS_TOPIC=refuge.bench.<pid>), deleted afterwards. Server processes are this script's
// "server" role, which starts the same server as `refuge serve` (startServer) and reports its hub and memory over IPC.
import { fork, type ChildProcess } from 'node:child_process';
import { connect, type Socket } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const now = () => performance.timeOrigin + performance.now();
const SELF = fileURLToPath(import.meta.url);
const REGION = 'BENCH-RAION';
const PARENT = 'BENCH-OBLAST';

const { values: args } = parseArgs({
  options: {
    role: { type: 'string', default: 'coordinator' },
    clients: { type: 'string', default: '10000' },
    servers: { type: 'string', default: '1' },
    bus: { type: 'string', default: 'inproc' },
    alerts: { type: 'string', default: '3' },
    db: { type: 'string' },
    'database-url': { type: 'string' },
    schema: { type: 'string' },
    port: { type: 'string' },
    count: { type: 'string' },
    'per-process': { type: 'string', default: '17000' },
    'time-limit': { type: 'string', default: '300' }, // seconds for the whole run (a loaded machine connects slowly)
  },
});

// ---------------------------------------------------------------------------------------------------------------
// Role: server. A full Refuge server on a shared database.
async function serverRole(): Promise<void> {
  const { startServer } = await import('../src/server/index.ts');
  const { alertServices } = await import('../src/server/capabilities/alerts-lifecycle.ts');
  const where = args['database-url'] ? { databaseUrl: args['database-url'], pgSchema: args.schema, dataDir: args.db } : { dbPath: args.db! };
  const server = await startServer({ ...where, port: Number(args.port ?? 0), logger: false });
  const s = alertServices(server.ctx);
  process.send!({ type: 'ready', url: server.url });
  process.on('message', async (m: { type: string }) => {
    if (m.type === 'stats') {
      global.gc?.();
      const mem = process.memoryUsage();
      process.send!({ type: 'stats', clients: s.hub.clientCount, rss: mem.rss, heapUsed: mem.heapUsed, hub: s.hub.stats });
    } else if (m.type === 'stop') {
      await server.close();
      process.exit(0);
    }
  });
}

// ---------------------------------------------------------------------------------------------------------------
// Role: clients. N raw TCP SSE connections (no HTTP client library: it would dominate memory at this scale).
async function clientsRole(): Promise<void> {
  const url = new URL(args.db!); // the server URL is passed in --db for this role
  const n = Number(args.count);
  const sockets: Socket[] = [];
  const received = new Map<number, Float64Array>(); // seq -> receive time per client (0 = not yet)
  const counts = new Map<number, Uint8Array>();
  const request = `GET /api/alerts/stream?regions=${REGION} HTTP/1.1\r\nHost: ${url.host}\r\nAccept: text/event-stream\r\n\r\n`;
  const ID_PREFIX = Buffer.from('id: ');
  let connected = 0;
  let failed = 0;
  const open = (i: number) => new Promise<void>((resolve) => {
    const sock = connect({ host: url.hostname, port: Number(url.port) });
    sock.setNoDelay(true);
    let ready = false;
    sock.on('connect', () => sock.write(request));
    sock.on('data', (buf: Buffer) => {
      const t = now();
      if (!ready && buf.includes(': connected')) {
        ready = true;
        connected++;
        resolve();
      }
      // Cheap scan (the clients share the CPU with the servers): find "id: N" lines without decoding the frame.
      for (let at = buf.indexOf(ID_PREFIX); at !== -1; at = buf.indexOf(ID_PREFIX, at + ID_PREFIX.length)) {
        if (at > 0 && buf[at - 1] !== 0x0a) continue;
        let seq = 0;
        let j = at + ID_PREFIX.length;
        for (; j < buf.length && buf[j] >= 0x30 && buf[j] <= 0x39; j++) seq = seq * 10 + (buf[j] - 0x30);
        if (j === at + ID_PREFIX.length || buf[j] !== 0x0a) continue;
        let times = received.get(seq);
        let c = counts.get(seq);
        if (!times) received.set(seq, (times = new Float64Array(n)));
        if (!c) counts.set(seq, (c = new Uint8Array(n)));
        if (c[i] === 0) times[i] = t;
        if (c[i] < 255) c[i]++;
      }
    });
    sock.on('error', () => {
      if (!ready) {
        failed++;
        resolve();
      }
    });
    sockets.push(sock);
  });
  const BATCH = 250;
  for (let i = 0; i < n; i += BATCH) {
    await Promise.all(Array.from({ length: Math.min(BATCH, n - i) }, (_, k) => open(i + k)));
  }
  process.send!({ type: 'connected', connected, failed });
  process.on('message', (m: { type: string; seq?: number }) => {
    if (m.type === 'report') {
      const times = received.get(m.seq!) ?? new Float64Array(n);
      const c = counts.get(m.seq!) ?? new Uint8Array(n);
      let lost = 0;
      let dups = 0;
      for (let i = 0; i < n; i++) {
        if (c[i] === 0) lost++;
        else if (c[i] > 1) dups++;
      }
      process.send!({ type: 'report', seq: m.seq, times: Array.from(times.filter((x) => x > 0)), lost, dups });
    } else if (m.type === 'stop') {
      for (const s of sockets) s.destroy();
      process.exit(0);
    }
  });
}

// ---------------------------------------------------------------------------------------------------------------
// Role: coordinator.
function child(role: string, extra: string[], env: Record<string, string> = {}): ChildProcess {
  return fork(SELF, ['--role', role, ...extra], {
    execArgv: ['--import', 'tsx', '--expose-gc', '--max-old-space-size=4096'],
    env: { ...process.env, ...env },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
}

function nextMessage<T>(c: ChildProcess, type: string, timeoutMs: number): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`timed out waiting for ${type}`)), timeoutMs);
    const on = (m: { type: string }) => {
      if (m.type !== type) return;
      clearTimeout(timer);
      c.off('message', on);
      resolve(m as T);
    };
    c.on('message', on);
  });
}

const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];

async function coordinator(): Promise<void> {
  const totalClients = Number(args.clients);
  const nServers = Number(args.servers);
  const bus = args.bus!;
  const busUrl = bus === 'nats' ? 'nats://127.0.0.1:4222' : bus === 'redis' ? 'redis://127.0.0.1:6379' : '';
  if (nServers > 1 && !busUrl) throw new Error('several servers need --bus nats or --bus redis');
  const perProcess = Number(args['per-process']);
  const dir = mkdtempSync(join(tmpdir(), 'refuge-fanout-'));
  const dbPath = join(dir, 'refuge.db');
  const databaseUrl = args['database-url'];
  const schema = databaseUrl ? `refuge_fanout_${process.pid}` : undefined;
  const children: ChildProcess[] = [];
  const deadline = setTimeout(() => {
    console.error('bench: overall time limit reached, stopping');
    for (const c of children) c.kill('SIGKILL');
    process.exit(2);
  }, Number(args['time-limit']) * 1000);
  try {
    // Database with accounts and two regions (a raion inside an oblast); the alert goes to the oblast.
    const { openStore } = await import('../src/store/open-store.ts');
    const { Accounts } = await import('../src/accounts/index.ts');
    const store = await openStore(databaseUrl ?? dbPath, { schema });
    const accounts = new Accounts(store.accounts);
    await accounts.createUser('op', 'operator', 'bench-password-long');
    await accounts.createUser('ap', 'approver', 'bench-password-long');
    const opToken = await accounts.createApiToken('op');
    const apToken = await accounts.createApiToken('ap');
    const square = (lon: number, lat: number, size: number) => ({ type: 'MultiPolygon' as const, coordinates: [[[[lon, lat], [lon + size, lat], [lon + size, lat + size], [lon, lat + size], [lon, lat]]]] });
    await store.regions.replaceSource('bench', [
      { code: PARENT, name: 'Bench oblast', warningTimeS: 120, parentCode: null, geometry: square(30, 50, 2) },
      { code: REGION, name: 'Bench raion', warningTimeS: 90, parentCode: PARENT, geometry: square(30, 50, 1) },
      { code: 'BENCH-OTHER', name: 'Bench elsewhere', warningTimeS: 60, parentCode: null, geometry: square(40, 40, 1) },
    ]);
    await store.close();

    const busTopic = busUrl ? `refuge.bench.${process.pid}` : '';
    const env: Record<string, string> = busUrl ? { REFUGE_ALERT_BUS: busUrl, REFUGE_ALERT_BUS_TOPIC: busTopic } : {};
    const servers: Array<{ proc: ChildProcess; url: string }> = [];
    for (let i = 0; i < nServers; i++) {
      const proc = child('server', databaseUrl ? ['--database-url', databaseUrl, '--schema', schema!, '--db', join(dir, 'data')] : ['--db', dbPath], env);
      children.push(proc);
      const { url } = await nextMessage<{ url: string }>(proc, 'ready', 60_000);
      servers.push({ proc, url });
    }
    const stats = async () => Promise.all(servers.map(async (s) => {
      s.proc.send({ type: 'stats' });
      return nextMessage<{ clients: number; rss: number; heapUsed: number; hub: Record<string, number> }>(s.proc, 'stats', 30_000);
    }));
    const before = await stats();

    // Clients: spread evenly over servers, at most perProcess sockets per client process.
    const perServer = Math.ceil(totalClients / nServers);
    const clientProcs: ChildProcess[] = [];
    const t0connect = now();
    const connecting: Array<Promise<{ connected: number; failed: number }>> = [];
    let remaining = totalClients;
    for (const s of servers) {
      let forServer = Math.min(perServer, remaining);
      remaining -= forServer;
      while (forServer > 0) {
        const count = Math.min(perProcess, forServer);
        forServer -= count;
        const proc = child('clients', ['--db', s.url, '--count', String(count)]);
        children.push(proc);
        clientProcs.push(proc);
        connecting.push(nextMessage(proc, 'connected', Math.max(240, Number(args['time-limit']) - 60) * 1000));
      }
    }
    const conn = await Promise.all(connecting);
    const connected = conn.reduce((a, c) => a + c.connected, 0);
    const failed = conn.reduce((a, c) => a + c.failed, 0);
    const connectS = (now() - t0connect) / 1000;
    const after = await stats();
    const hubClients = after.reduce((a, s) => a + s.clients, 0);
    console.log(`connected ${connected}/${totalClients} clients (${failed} failed) to ${nServers} server process(es) in ${connectS.toFixed(1)} s; hubs hold ${hubClients}`);

    const post = async (path: string, token: string, body: unknown, via = servers[0]) => {
      const res = await fetch(via.url + path, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
      if (res.status >= 300) throw new Error(`${path}: ${res.status} ${await res.text()}`);
      return res.json() as Promise<{ id: string; seq: number }>;
    };
    // Warm-up (JIT, schema compilation): one alert to a region nobody listens to, not measured.
    const warm = await post('/api/alerts', opToken, { status: 'Exercise', event: 'missile', headline: 'Warm-up', regions: ['BENCH-OTHER'], expires: new Date(Date.now() + 60_000).toISOString() });
    await post(`/api/alerts/${warm.id}/approve`, apToken, {});
    const rows: string[] = [];
    const goal = nServers === 1 ? 0.5 : 1.5;
    for (let k = 0; k < Number(args.alerts); k++) {
      const via = servers[k % servers.length];
      const draft = await post('/api/alerts', opToken, {
        status: 'Exercise', msgType: 'Alert', event: 'missile', headline: `Bench alert ${k + 1}`, instruction: 'Benchmark, no action.',
        regions: [PARENT], expires: new Date(Date.now() + 10 * 60_000).toISOString(),
      }, via);
      const t0 = now();
      const issued = await post(`/api/alerts/${draft.id}/approve`, apToken, {}, via);
      const tIssued = now();
      // Wait until every client has it (or 20 s).
      let reports: Array<{ times: number[]; lost: number; dups: number }> = [];
      const until = now() + 20_000;
      for (;;) {
        await new Promise((r) => setTimeout(r, 250));
        reports = await Promise.all(clientProcs.map(async (p) => {
          p.send({ type: 'report', seq: issued.seq });
          return nextMessage<{ times: number[]; lost: number; dups: number }>(p, 'report', 60_000);
        }));
        if (reports.every((r) => r.lost === 0) || now() > until) break;
      }
      // Duplicates could arrive a little later (e.g. a second outbox worker's re-publish): look once more.
      await new Promise((r) => setTimeout(r, 1500));
      reports = await Promise.all(clientProcs.map(async (p) => {
        p.send({ type: 'report', seq: issued.seq });
        return nextMessage<{ times: number[]; lost: number; dups: number }>(p, 'report', 60_000);
      }));
      const hubStats = (await stats()).map((x) => `${x.hub.lastFanoutClients} in ${x.hub.lastFanoutMs.toFixed(1)} ms`).join(', ');
      const lat = reports.flatMap((r) => r.times).map((t) => (t - t0) / 1000).sort((a, b) => a - b);
      const lost = reports.reduce((a, r) => a + r.lost, 0);
      const dups = reports.reduce((a, r) => a + r.dups, 0);
      const p50 = pct(lat, 50), p99 = pct(lat, 99), max = lat[lat.length - 1], first = lat[0];
      rows.push(`| ${k + 1} | ${k % servers.length + 1} | ${lat.length} | ${p50.toFixed(3)} | ${p99.toFixed(3)} | ${max.toFixed(3)} | ${first.toFixed(3)} | ${((tIssued - t0) / 1000).toFixed(3)} | ${lost} | ${dups} | ${(p99 / goal).toFixed(2)} |`);
      console.log(`alert ${k + 1} (seq ${issued.seq}, issued through server ${k % servers.length + 1}): p50 ${p50.toFixed(3)} s, p99 ${p99.toFixed(3)} s, last ${max.toFixed(3)} s, first ${first.toFixed(3)} s, approve answered ${((tIssued - t0) / 1000).toFixed(3)} s; lost ${lost}, duplicates ${dups}; server-side fan-out: ${hubStats}`);
    }
    const rssPer = after.reduce((a, s, i) => a + (s.rss - before[i].rss), 0) / Math.max(1, hubClients);
    const heapPer = after.reduce((a, s, i) => a + (s.heapUsed - before[i].heapUsed), 0) / Math.max(1, hubClients);
    console.log(`\nserver memory per connection: RSS ${(rssPer / 1024).toFixed(1)} KB, JS heap ${(heapPer / 1024).toFixed(1)} KB`);
    console.log(`\n${totalClients} clients, ${nServers} server process(es), bus ${bus}, ${clientProcs.length} client processes, goal p99 < ${goal} s`);
    console.log('| alert | issued through server | clients reached | p50 s | p99 s | last client s | first delivery s | approve answered s | lost | duplicates | p99 / goal |');
    console.log('|---|---|---|---|---|---|---|---|---|---|---|');
    for (const r of rows) console.log(r);
    if (bus === 'nats') {
      // Every event once in the stream, however many processes published it: the warm-up plus the measured alerts.
      const { connect: natsConnect } = await import('nats');
      const { streamNameFor } = await import('../src/adapters/alert-bus/nats-bus.ts');
      const nc = await natsConnect({ servers: busUrl.replace(/^nats:\/\//, '') });
      const info = await (await nc.jetstreamManager()).streams.info(streamNameFor(busTopic));
      await nc.close();
      console.log(`\nJetStream stream ${info.config.name}: ${info.state.messages} messages for ${Number(args.alerts) + 1} events issued (warm-up included)`);
    }
    for (const p of [...clientProcs, ...servers.map((s) => s.proc)]) p.send({ type: 'stop' });
    await new Promise((r) => setTimeout(r, 1500));
  } finally {
    clearTimeout(deadline);
    for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
    if (bus === 'nats') {
      const { NatsBus } = await import('../src/adapters/alert-bus/nats-bus.ts');
      await NatsBus.deleteStream(busUrl, `refuge.bench.${process.pid}`).catch((err) => console.error('bench: could not delete the NATS stream', err));
    }
    if (databaseUrl) {
      const { default: pg } = await import('pg');
      const c = new pg.Client({ connectionString: databaseUrl });
      await c.connect();
      await c.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`).finally(() => c.end());
    }
  }
}

if (args.role === 'server') await serverRole();
else if (args.role === 'clients') await clientsRole();
else await coordinator();
