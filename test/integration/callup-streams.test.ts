// Call-up streams across processes: a member following a call-up on process A hears every answer made through B (and
// through A), once each and in seq order, because each process feeds its streams from the shared event log
// (src/units/event-relay.ts). Two real `refuge serve` processes on one database (PostgreSQL when
// REFUGE_TEST_DATABASE_URL is set, otherwise one SQLite file).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { call, crashDb, must, prepareStaff } from '../crash/harness.ts';

interface Frame { id: number; event: string; data: Record<string, unknown> }

/** Reads an SSE response into frames as they come. */
function follow(res: Response): { frames: Frame[]; until(pred: (f: Frame[]) => boolean, what: string): Promise<void>; close(): void } {
  const frames: Frame[] = [];
  const ctrl = new AbortController();
  let buf = '';
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  void (async () => {
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return;
        buf += decoder.decode(value, { stream: true });
        let end: number;
        while ((end = buf.indexOf('\n\n')) >= 0) {
          const block = buf.slice(0, end);
          buf = buf.slice(end + 2);
          const f: Partial<Frame> = {};
          for (const line of block.split('\n')) {
            if (line.startsWith('id: ')) f.id = Number(line.slice(4));
            else if (line.startsWith('event: ')) f.event = line.slice(7);
            else if (line.startsWith('data: ')) f.data = JSON.parse(line.slice(6));
          }
          if (f.event) frames.push(f as Frame);
        }
      }
    } catch { /* closed */ }
  })();
  return {
    frames,
    async until(pred, what) {
      // A guard against hanging, not a timing assertion.
      const deadline = Date.now() + 30_000;
      while (!pred(frames)) {
        if (Date.now() > deadline) throw new Error(`${what}: not seen; frames ${JSON.stringify(frames.map((f) => [f.id, f.event, f.data.answer]))}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    },
    close: () => { ctrl.abort(); void reader.cancel().catch(() => {}); },
  };
}

test("a member's stream on one process hears every answer made through the other, once each, in order", async (t) => {
  const db = await crashDb(t);
  const staff = await prepareStaff(db);
  const [a, b] = await Promise.all([db.serve(), db.serve()]);
  const unit = (await must(a.url, 'POST', '/api/units', staff.operator, { name: 'Bucha rescue', type: 'rescue', region: 'UA-30-1', requiredRoles: ['leader'] })).id as string;
  for (const [member, role] of [['Oksana', 'leader'], ['Taras', 'medic']]) {
    await must(a.url, 'POST', `/api/units/${unit}/members`, staff.operator, { name: member, role, contact: { phone: '+380 44 111' }, availability: 'available' });
  }
  const c = await must(a.url, 'POST', '/api/callups', staff.operator, { units: [unit], message: 'Report to the depot' });
  const [oksana] = c.links as Array<{ token: string; member: string }>;

  const res = await fetch(`${a.url}/api/callups/stream?token=${encodeURIComponent(oksana.token)}`);
  assert.equal(res.status, 200);
  const stream = follow(res);
  t.after(() => stream.close());
  await stream.until((f) => f.some((x) => x.event === 'callup'), 'the call-up itself on connecting');

  // Answers through B, then through A and B in turns, some at once: A's stream hears each one.
  const answers = ['coming', 'unavailable', 'coming', 'coming', 'unavailable', 'coming'];
  for (const [i, answer] of answers.entries()) {
    const via = i % 2 ? a : b;
    const r = await call(via.url, 'POST', `/api/callups/${c.id}/answers`, undefined, { token: oksana.token, answer, etaMinutes: answer === 'coming' ? 10 + i : null, reason: answer === 'coming' ? null : 'ill' });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    await stream.until((f) => f.filter((x) => x.event === 'answer').length === i + 1, `answer ${i} (${answer}) made through ${i % 2 ? 'A' : 'B'}`);
  }
  const heard = stream.frames.filter((x) => x.event === 'answer');
  assert.deepEqual(heard.map((x) => x.data.answer), answers);
  const ids = stream.frames.map((x) => x.id);
  assert.deepEqual(ids, [...ids].sort((x, y) => x - y), 'in seq order');
  assert.equal(new Set(ids).size, ids.length, 'none twice');
  const logged = await db.rows<{ seq: number }>("SELECT seq FROM unit_events WHERE member_id = ? AND kind = 'answer' ORDER BY seq", [oksana.member]);
  assert.deepEqual(heard.map((x) => x.id), logged.map((r) => Number(r.seq)), 'exactly the answers in the log');

  // Ended through B: A's member hears it too.
  await must(b.url, 'POST', `/api/callups/${c.id}/close`, staff.operator, {});
  await stream.until((f) => f.some((x) => x.event === 'callup-ended'), 'the end made through B');
});
