// Bounded load on one `refuge serve` process over loopback: nearest-shelter queries, region lookups, snapshot
// downloads and alert streams at once, while an operator drafts and an approver approves alerts. Reports throughput,
// p50/p99 per kind, errors, whether every alert reached every stream, and the server's RSS at the start, every 30 s
// and at the end (the soak: --seconds 600). Stops by itself.
//
//   node --import tsx bench/load.ts [--seconds 60] [--db PATH] [--connections 4] [--streams 100] [--alert-every 5] [--json FILE]
//
// Without --db it serves the demo data (Jerusalem + Copenhagen) from a fresh temporary database.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { openStore } from '../src/store/open-store.ts';
import { Accounts } from '../src/accounts/index.ts';

const ROOT = join(import.meta.dirname, '..');
const LOOPBACK = '127.0.0.1,::1,::ffff:127.0.0.1';
const RSS_EVERY_MS = 30_000;

const { values: args } = parseArgs({
  options: {
    seconds: { type: 'string', default: '60' },
    db: { type: 'string' },
    connections: { type: 'string', default: '4' },
    streams: { type: 'string', default: '100' },
    'alert-every': { type: 'string', default: '5' },
    json: { type: 'string' },
  },
});
const positive = (name: string, v: string | undefined): number => {
  const n = Number(v);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`--${name} must be a positive number, not ${v}`);
  return n;
};
const seconds = positive('seconds', args.seconds);
const connections = Math.round(positive('connections', args.connections));
const streamCount = Math.round(positive('streams', args.streams));
const alertEveryMs = positive('alert-every', args['alert-every']) * 1000;

// ---- the server ----------------------------------------------------------------------------------------------
const dir = mkdtempSync(join(tmpdir(), 'refuge-bench-load-'));
const dbPath = args.db ?? join(dir, 'refuge.db');
const demo = !args.db;

/** Two accounts made the way `refuge admin` makes them: one drafts, the other approves (the two-person rule). */
async function staffTokens(): Promise<{ operator: string; approver: string }> {
  const store = await openStore(dbPath);
  try {
    const accounts = new Accounts(store.accounts);
    const tag = randomBytes(3).toString('hex');
    await accounts.createUser(`bench-operator-${tag}`, 'operator', randomBytes(16).toString('base64url'));
    await accounts.createUser(`bench-approver-${tag}`, 'approver', randomBytes(16).toString('base64url'));
    return { operator: await accounts.createApiToken(`bench-operator-${tag}`), approver: await accounts.createApiToken(`bench-approver-${tag}`) };
  } finally {
    await store.close();
  }
}

function startServer(): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, [join(ROOT, 'bin', 'refuge.js'), 'serve', '--db', dbPath, '--host', '127.0.0.1', '--port', '0', '--rate-limit-allow', LOOPBACK, ...(demo ? ['--demo'] : [])], {
    env: { ...process.env, LOG_LEVEL: 'warn', DATABASE_URL: '', REFUGE_ALERT_BUS: '', REFUGE_MQTT_URL: '' }, stdio: ['ignore', 'pipe', 'pipe'],
  });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stderr!.on('data', (d) => (out += d));
    child.stdout!.on('data', (d) => {
      out += d;
      const m = /serving .* on (http:\/\/\S+)/.exec(out);
      if (m) resolve({ child, url: m[1] });
    });
    child.on('exit', (code, signal) => reject(new Error(`refuge serve exited (${signal ?? code}):\n${out}`)));
  });
}

function rssMb(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : NaN;
}

// ---- measuring -----------------------------------------------------------------------------------------------
type Kind = 'nearest' | 'region' | 'snapshot' | 'issue' | 'delivery';
const latencies: Record<Kind, number[]> = { nearest: [], region: [], snapshot: [], issue: [], delivery: [] };
const errors: Record<string, number> = {};
const countError = (kind: string, what: string) => (errors[`${kind}: ${what}`] = (errors[`${kind}: ${what}`] ?? 0) + 1);
const pct = (xs: number[], p: number) => {
  if (!xs.length) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
};

// Node's fetch (undici): keep-alive connections, as many per origin as there are requests in flight.
const get = (url: string, init: RequestInit = {}): Promise<Response> => fetch(url, init);

/** `measuring`: the load and the alerts run; `stopping`: the streams stop too (after the last alert had its chance). */
let measuring = true;
let stopping = false;

async function loop(kind: Kind, next: () => string): Promise<void> {
  while (measuring) {
    const t0 = performance.now();
    try {
      const res = await get(next());
      await res.arrayBuffer();
      if (res.status >= 300) countError(kind, String(res.status));
      else latencies[kind].push(performance.now() - t0);
    } catch (e) {
      countError(kind, (e as Error).message);
    }
  }
}

// ---- alert streams -------------------------------------------------------------------------------------------
/** `seen`: when each alert (seq) arrived on this stream. */
interface Stream { name: string; seen: Map<number, number>; drops: number; connected: boolean }
const approvedAt = new Map<number, number>();

async function follow(url: string, s: Stream): Promise<void> {
  let lastId = 0;
  while (!stopping) {
    const abort = new AbortController();
    const stop = setInterval(() => stopping && abort.abort(), 250);
    try {
      const res = await fetch(url, { headers: { accept: 'text/event-stream', ...(lastId ? { 'last-event-id': String(lastId) } : {}) }, signal: abort.signal });
      if (res.status !== 200 || !res.body) {
        countError('stream', String(res.status));
        await res.body?.cancel();
      } else {
        s.connected = true;
        const decoder = new TextDecoder();
        let buf = '';
        for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
          buf += decoder.decode(chunk, { stream: true });
          let end: number;
          while ((end = buf.indexOf('\n\n')) >= 0) {
            const block = buf.slice(0, end);
            buf = buf.slice(end + 2);
            const id = /^id: ?(\d+)$/m.exec(block);
            if (!id || !/^event: ?alert$/m.test(block)) continue;
            const seq = Number(id[1]);
            lastId = Math.max(lastId, seq);
            if (!s.seen.has(seq)) s.seen.set(seq, performance.now());
          }
        }
      }
    } catch (e) {
      if (!stopping) countError('stream', (e as Error).message);
    } finally {
      clearInterval(stop);
    }
    if (!stopping) {
      s.drops++;
      await new Promise((r) => setTimeout(r, 500));
    }
  }
}

// ---- alerts: an operator drafts, an approver approves --------------------------------------------------------
const issued: number[] = [];

async function issueAlerts(url: string, tokens: { operator: string; approver: string }, region: string): Promise<void> {
  let n = 0;
  while (measuring) {
    const t0 = performance.now();
    try {
      const draft = await get(`${url}/api/alerts`, {
        method: 'POST', headers: { authorization: `Bearer ${tokens.operator}`, 'content-type': 'application/json' },
        body: JSON.stringify({
          status: 'Exercise', msgType: 'Alert', event: 'air-raid', urgency: 'Immediate', severity: 'Extreme', certainty: 'Observed',
          headline: `Load test alert ${++n}`, description: 'Exercise.', instruction: 'This is an exercise.', regions: [region],
          expires: new Date(Date.now() + 60 * 60_000).toISOString(),
        }),
      });
      const d = (await draft.json()) as { id?: string; title?: string; field?: string };
      if (draft.status !== 201 || !d.id) countError('issue', `draft ${draft.status} ${d.field ?? ''} ${d.title ?? ''}`.trim());
      else {
        const approvalStart = performance.now();
        const ok = await get(`${url}/api/alerts/${d.id}/approve`, { method: 'POST', headers: { authorization: `Bearer ${tokens.approver}`, 'content-type': 'application/json' }, body: '{}' });
        const a = (await ok.json()) as { seq?: number; title?: string };
        if (ok.status !== 200 || typeof a.seq !== 'number') countError('issue', `approve ${ok.status} ${a.title ?? ''}`.trim());
        else {
          // Delivery is counted from the moment the approval was sent: the commit, the outbox and the fan-out.
          approvedAt.set(a.seq, approvalStart);
          issued.push(a.seq);
          latencies.issue.push(performance.now() - t0);
        }
      }
    } catch (e) {
      countError('issue', (e as Error).message);
    }
    const wait = alertEveryMs - (performance.now() - t0);
    const until = Date.now() + Math.max(0, wait);
    while (measuring && Date.now() < until) await new Promise((r) => setTimeout(r, Math.min(250, until - Date.now())));
  }
}

// ---- run -----------------------------------------------------------------------------------------------------
let server: { child: ChildProcess; url: string } | null = null;
try {
  const tokens = await staffTokens();
  server = await startServer();
  const pid = server.child.pid!;
  const url = server.url;
  for (let i = 0; ; i++) {
    const r = await fetch(`${url}/readyz`).catch(() => null);
    if (r?.status === 200) break;
    if (i > 600) throw new Error('the server did not become ready within 5 minutes');
    await new Promise((res) => setTimeout(res, 500));
  }
  const snapshot = (await (await fetch(`${url}/api/shelters/snapshot`)).json()) as { features: Array<{ geometry: { coordinates: [number, number] } }> };
  const points = snapshot.features.map((f) => f.geometry.coordinates);
  if (!points.length) throw new Error('no shelters to query around: serve the demo or a --db with shelters');
  const regions = (await (await fetch(`${url}/api/regions`)).json()) as { regions?: Array<{ code: string }> } | Array<{ code: string }>;
  const regionList = Array.isArray(regions) ? regions : regions.regions ?? [];
  if (!regionList.length) throw new Error('no alert regions: serve the demo or a --db with regions');
  const region = regionList[0].code;
  let k = 0;
  const around = () => {
    const [lon, lat] = points[(k = (k * 7919 + 104729) % points.length)];
    return { lat: (lat + ((k % 21) - 10) * 0.0007).toFixed(5), lon: (lon + ((k % 17) - 8) * 0.0009).toFixed(5) };
  };

  const loadAtStart = loadavg().map((x) => Number(x.toFixed(2)));
  const rss: Array<{ s: number; mb: number }> = [{ s: 0, mb: rssMb(pid) }];
  const streams: Stream[] = Array.from({ length: streamCount }, (_, i) => ({ name: i % 2 ? `regions=${region}` : 'all=1', seen: new Map<number, number>(), drops: 0, connected: false }));
  const followers = streams.map((s, i) => follow(`${url}/api/alerts/stream?${s.name}&client=bench${i}`, s));
  // Every stream is open before the first alert (a stream opened later would not be owed it).
  for (let i = 0; streams.some((s) => !s.connected); i++) {
    if (i > 600) throw new Error('the alert streams did not open within a minute');
    await new Promise((r) => setTimeout(r, 100));
  }
  const started = performance.now();
  const sampler = setInterval(() => rss.push({ s: Math.round((performance.now() - started) / 1000), mb: rssMb(pid) }), RSS_EVERY_MS);
  const workers = [
    ...Array.from({ length: connections }, () => loop('nearest', () => { const p = around(); return `${url}/api/nearest?lat=${p.lat}&lon=${p.lon}&k=3`; })),
    ...Array.from({ length: connections }, () => loop('region', () => { const p = around(); return `${url}/api/regions/at?lat=${p.lat}&lon=${p.lon}`; })),
    ...Array.from({ length: Math.max(1, Math.round(connections / 2)) }, () => loop('snapshot', () => `${url}/api/shelters/snapshot`)),
    issueAlerts(url, tokens, region),
  ];
  await new Promise((r) => setTimeout(r, seconds * 1000));
  measuring = false;
  await Promise.all(workers);
  const elapsed = (performance.now() - started) / 1000;
  clearInterval(sampler);
  rss.push({ s: Math.round(elapsed), mb: rssMb(pid) });
  // Let the last alert reach the streams (bounded), then stop them.
  const graceEnd = Date.now() + 10_000;
  while (Date.now() < graceEnd && streams.some((s) => issued.some((q) => !s.seen.has(q)))) await new Promise((r) => setTimeout(r, 100));
  stopping = true;
  await Promise.all(followers);

  // Delivery: from sending the approval to the event arriving, per stream (the event often beats the approval's answer).
  for (const st of streams) for (const [seq, at] of st.seen) if (approvedAt.has(seq)) latencies.delivery.push(at - approvedAt.get(seq)!);
  const missing = streams.reduce((n, s) => n + issued.filter((q) => !s.seen.has(q)).length, 0);
  const kinds: Kind[] = ['nearest', 'region', 'snapshot', 'issue', 'delivery'];
  const result = {
    command: `node --import tsx bench/load.ts ${process.argv.slice(2).join(' ')}`.trim(),
    data: demo ? 'demo (Jerusalem + Copenhagen)' : dbPath,
    seconds: Number(elapsed.toFixed(1)), connectionsPerKind: connections, streams: streamCount, alertEverySeconds: alertEveryMs / 1000,
    loadavg: { start: loadAtStart, end: loadavg().map((x) => Number(x.toFixed(2))) },
    kinds: Object.fromEntries(kinds.map((kind) => [kind, {
      count: latencies[kind].length,
      perSecond: Number((latencies[kind].length / elapsed).toFixed(1)),
      p50: Number(pct(latencies[kind], 50).toFixed(1)),
      p99: Number(pct(latencies[kind], 99).toFixed(1)),
    }])),
    errors,
    alerts: { issued: issued.length, streams: streamCount, deliveriesMissing: missing, everyAlertReachedEveryStream: missing === 0 && issued.length > 0, reconnects: streams.reduce((n, s) => n + s.drops, 0) },
    rssMb: rss.map((r) => ({ s: r.s, mb: Number(r.mb.toFixed(1)) })),
  };
  const table = [
    `load: ${result.data}, ${result.seconds} s, ${connections} connections per kind (snapshot ${Math.max(1, Math.round(connections / 2))}), ${streamCount} alert streams, an alert every ${alertEveryMs / 1000} s; load average (1/5/15 min) at the start ${result.loadavg.start.join(' ')}, at the end ${result.loadavg.end.join(' ')}`,
    '',
    '| kind | requests | per second | p50 ms | p99 ms |',
    '|---|---|---|---|---|',
    ...kinds.map((kind) => {
      const r = result.kinds[kind];
      const label = kind === 'issue' ? 'alert issue (draft + approve)' : kind === 'delivery' ? 'alert delivery (approve sent → stream, each stream)' : kind;
      return `| ${label} | ${r.count} | ${r.perSecond} | ${r.p50} | ${r.p99} |`;
    }),
    '',
    `errors: ${Object.keys(errors).length ? Object.entries(errors).map(([k, v]) => `${k} × ${v}`).join('; ') : 'none'}`,
    `alerts: ${issued.length} issued; every alert reached every stream: ${result.alerts.everyAlertReachedEveryStream ? 'yes' : `NO (${missing} deliveries missing)`}; stream reconnects ${result.alerts.reconnects}`,
    `server RSS MB: ${result.rssMb.map((r) => `${r.s} s ${r.mb}`).join(', ')} (start ${result.rssMb[0].mb}, end ${result.rssMb[result.rssMb.length - 1].mb})`,
  ].join('\n');
  console.log(table);
  if (args.json) writeFileSync(args.json, JSON.stringify(result, null, 2) + '\n');
} finally {
  measuring = false;
  stopping = true;
  if (server && server.child.exitCode === null) {
    const exited = new Promise((r) => server!.child.once('exit', r));
    server.child.kill('SIGTERM');
    await exited;
  }
  rmSync(dir, { recursive: true, force: true });
}
