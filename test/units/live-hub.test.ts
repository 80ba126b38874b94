// The hub's no-loss, no-duplicate rule when live events arrive while a client's replay is being read.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { UnitEventHub, type UnitEvent } from '../../src/units/index.ts';

const ev = (seq: number, memberId = 'a'): UnitEvent => ({ seq, kind: 'answer', callupId: 'c', memberId, data: {}, at: '2026-12-01T00:00:00Z' });

test('events published during the replay are sent once, in order, after it; other members are not sent', async () => {
  const hub = new UnitEventHub();
  const durable = [ev(1), ev(2), ev(3, 'b'), ev(4)];
  const sent: number[] = [];
  let release!: () => void;
  const gate = new Promise<void>((r) => { release = r; });
  const connecting = hub.connect({ matches: (e) => e.memberId === 'a', send: (e) => sent.push(e.seq) }, 1, async (after) => {
    await gate;
    // The store already holds 5 when it is read; 5 is also published live (before and after the read).
    return [...durable, ev(5)].filter((e) => e.seq > after!);
  });
  hub.publish([ev(5)]);
  hub.publish([ev(6, 'b')]);
  release();
  const disconnect = await connecting;
  hub.publish([ev(5), ev(7)]);
  assert.deepEqual(sent, [2, 4, 5, 7]);
  disconnect();
  hub.publish([ev(8)]);
  assert.deepEqual(sent, [2, 4, 5, 7], 'nothing after disconnecting');
  assert.equal(hub.clientCount, 0);
});

test('a replay that fails leaves no client behind', async () => {
  const hub = new UnitEventHub();
  await assert.rejects(hub.connect({ matches: () => true, send: () => undefined }, null, async () => { throw new Error('store down'); }), /store down/);
  assert.equal(hub.clientCount, 0);
});
