// Starts a real server with the alert capability on a temp database, with the test regions loaded.
import { startTestServer, type TestServer } from '../helpers.ts';
import { testRegions } from '../alerts-lifecycle/helpers.ts';
import { reloadRegions } from '../../src/server/capabilities/regions.ts';
import { parseSse, type SseEvent } from './sse-parse.ts';
import { createConnection } from 'node:net';

export async function startAlertServer(t: { after: (fn: () => Promise<void> | void) => void }, opts: Parameters<typeof startTestServer>[1] = {}): Promise<TestServer> {
  const server = await startTestServer(t, opts);
  // As `POST /api/regions/import` does: stored in the database and swapped into the running index.
  // Awaited: a test that drafts an alert at once must find its regions in the index.
  await reloadRegions(server.ctx, 'test', [...testRegions().list()]);
  return server;
}

export function expiresIn(minutes: number): string {
  return new Date(Date.now() + minutes * 60_000).toISOString();
}

export const draftBody = (overrides: Record<string, unknown> = {}) => ({
  status: 'Actual', msgType: 'Alert', event: 'missile', urgency: 'Immediate', severity: 'Extreme', certainty: 'Observed',
  headline: 'Missile attack: take cover now', description: 'Missiles launched.', instruction: 'Go to the nearest shelter now.',
  regions: ['UA-30'], expires: expiresIn(30), ...overrides,
});

/** Drafts as operator, approves as approver; returns the approve answer. */
export async function issueAlert(server: TestServer, overrides: Record<string, unknown> = {}) {
  const draft = await server.request('POST', '/api/alerts', { token: server.tokens.operator, body: draftBody(overrides) });
  if (draft.status !== 201) throw new Error(`draft failed: ${draft.status} ${draft.text}`);
  const ok = await server.request('POST', `/api/alerts/${draft.body.id}/approve`, { token: server.tokens.approver, body: {} });
  if (ok.status !== 200) throw new Error(`approve failed: ${ok.status} ${ok.text}`);
  return ok.body as { id: string; seq: number; preparedCancelId: string };
}

/** An SSE client over a real HTTP connection. */
export class SseClient {
  text = '';
  status = 0;
  headers: Headers | null = null;
  private readonly abort = new AbortController();
  private waiters: Array<() => void> = [];
  closed = false;

  static async open(url: string, headers: Record<string, string> = {}): Promise<SseClient> {
    const c = new SseClient();
    const res = await fetch(url, { headers: { accept: 'text/event-stream', ...headers }, signal: c.abort.signal });
    c.status = res.status;
    c.headers = res.headers;
    if (!res.body) return c;
    const reader = res.body.getReader();
    const decoder = new TextDecoder();
    void (async () => {
      try {
        for (;;) {
          const { done, value } = await reader.read();
          if (done) break;
          c.text += decoder.decode(value, { stream: true });
          for (const w of c.waiters.splice(0)) w();
        }
      } catch {
        /* aborted */
      } finally {
        c.closed = true;
        for (const w of c.waiters.splice(0)) w();
      }
    })();
    return c;
  }

  events(): SseEvent[] {
    return parseSse(this.text).events;
  }

  /**
   * Waits until `predicate` holds on the received text. Not a timing assertion: the guard (60 s by default) only turns
   * a condition that never comes into a failure that shows what did arrive, instead of a file that hangs until the
   * runner's timeout.
   */
  async until(predicate: (c: SseClient) => boolean, guardMs = 60_000): Promise<void> {
    const end = Date.now() + guardMs;
    while (!predicate(this)) {
      if (this.closed) throw new Error(`stream closed before the condition held; got:\n${this.text}`);
      const left = end - Date.now();
      if (left <= 0) throw new Error(`the condition did not hold within ${guardMs / 1000} s; got:\n${this.text}`);
      await new Promise<void>((r) => {
        const timer = setTimeout(r, left);
        this.waiters.push(() => { clearTimeout(timer); r(); });
      });
    }
  }

  close(): void {
    this.abort.abort();
  }
}

/** Whether a local service (Redis, NATS, Mosquitto) answers on this port. */
export function reachable(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = createConnection({ host: '127.0.0.1', port });
    s.setTimeout(1000);
    s.once('connect', () => { s.destroy(); resolve(true); });
    s.once('error', () => resolve(false));
    s.once('timeout', () => { s.destroy(); resolve(false); });
  });
}
