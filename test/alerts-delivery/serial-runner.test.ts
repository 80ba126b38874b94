// SerialRunner (src/alerts/delivery/serial-runner.ts): one pass at a time; a kick during a pass gets one more pass
// after it, and its promise resolves only then (the planning service's "await the sweep in flight" rests on this);
// errors are reported, never thrown; stop() waits for the pass in progress.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SerialRunner } from '../../src/alerts/delivery/serial-runner.ts';

function gate() {
  let open!: () => void;
  const p = new Promise<void>((r) => { open = r; });
  return { p, open };
}

test('a kick during a pass: no overlap, one more pass after it, and the kick resolves after that pass', async () => {
  const log: string[] = [];
  let n = 0;
  let first = gate();
  let active = 0;
  const runner = new SerialRunner(async () => {
    const i = ++n;
    active++;
    assert.equal(active, 1, 'passes never overlap');
    log.push(`start ${i}`);
    if (i === 1) await first.p;
    log.push(`end ${i}`);
    active--;
  }, 3_600_000, (err) => { throw err; });
  const a = runner.kick();
  const b = runner.kick(); // during pass 1
  const c = runner.kick(); // also during pass 1: the same one more pass, not two
  let bDone = false;
  void b.then(() => { bDone = true; });
  await new Promise((r) => setImmediate(r));
  assert.equal(bDone, false);
  first.open();
  await Promise.all([a, b, c]);
  assert.deepEqual(log, ['start 1', 'end 1', 'start 2', 'end 2']);
  first = gate();
  await runner.kick();
  assert.deepEqual(log.slice(4), ['start 3', 'end 3'], 'idle: a kick runs one pass at once');
  await runner.stop();
});

test('a failing pass is reported, the kick still resolves, and the next kick runs again', async () => {
  const errors: unknown[] = [];
  let n = 0;
  const runner = new SerialRunner(async () => {
    if (++n === 1) throw new Error('store unreachable');
  }, 3_600_000, (err) => errors.push(err));
  await runner.kick();
  assert.equal(errors.length, 1);
  assert.match(String(errors[0]), /store unreachable/);
  await runner.kick();
  assert.equal(n, 2);
  assert.equal(errors.length, 1);
});

test("start('later') waits a period before the first pass; start() runs one at once; stop() awaits the pass in progress", async () => {
  let n = 0;
  const g = gate();
  const later = new SerialRunner(async () => { n++; }, 3_600_000, () => {});
  later.start('later');
  await new Promise((r) => setImmediate(r));
  assert.equal(n, 0, 'no pass before the period');
  await later.stop();

  let ended = false;
  const now = new SerialRunner(async () => { await g.p; ended = true; }, 3_600_000, () => {});
  now.start();
  const stopping = now.stop();
  g.open();
  await stopping;
  assert.equal(ended, true, 'stop resolved after the pass in progress ended');
});
