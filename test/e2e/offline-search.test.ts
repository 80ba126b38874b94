// The offline nearest-shelter search (a Dijkstra over the street lines the service worker keeps) against the
// server's walking-network engine, on the demo's Copenhagen network and shelters.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startApp, type App } from './harness.ts';
import { WalkGraph, type Target, type LineFeature } from '../../web/src/lib/walkgraph.ts';

let app: App;
let graph: WalkGraph;
let targets: Target[];

before(async () => {
  app = await startApp();
  const lines = await (await fetch(`${app.url}/api/network/lines`)).json() as { features: LineFeature[] };
  graph = new WalkGraph(lines.features);
  targets = app.server.ctx.registry.all().map((s) => ({ id: s.id, name: s.name, at: [s.lon, s.lat] as [number, number] }));
});

after(async () => {
  await app?.close();
});

test('the street lines cover the loaded network', async () => {
  const g = app.server.ctx.network!.graph!;
  assert.ok(graph.size > g.nodeCount * 0.9, `offline graph has ${graph.size} vertices for ${g.nodeCount} network nodes`);
  const bbox = await (await fetch(`${app.url}/api/network/lines?bbox=12.56,55.67,12.58,55.68`)).json() as { features: LineFeature[] };
  const count = (fs: LineFeature[]) => fs.reduce((n, f) => n + (f.geometry.type === 'MultiLineString' ? f.geometry.coordinates.length : 1), 0);
  assert.ok(count(bbox.features) > 0 && count(bbox.features) < count((await (await fetch(`${app.url}/api/network/lines`)).json() as { features: LineFeature[] }).features));
});

test('offline walking distances agree with the server engine (200 origins in central Copenhagen)', async () => {
  let rnd = 12345;
  const next = () => ((rnd = (rnd * 1103515245 + 12345) % 2147483648) / 2147483648);
  let compared = 0;
  let sameNearest = 0;
  const bad: string[] = [];
  for (let i = 0; i < 200; i++) {
    const lat = 55.665 + next() * 0.025;
    const lon = 12.54 + next() * 0.06;
    const server = await (await fetch(`${app.url}/api/nearest?lat=${lat}&lon=${lon}&k=1`)).json() as { mode: string; results: Array<{ id: string; meters: number }> };
    if (server.mode !== 'network' || server.results.length === 0) continue;
    const offline = graph.nearest([lon, lat], targets, 1, 1.3, null);
    assert.equal(offline.mode, 'offline-network');
    compared++;
    // Both count the way onto the streets; they differ in the grid rounding (1 m) and in how a point snaps.
    const a = offline.results[0].meters;
    const b = server.results[0].meters;
        if (Math.abs(a - b) > Math.max(30, 0.05 * b)) bad.push(`origin ${lat.toFixed(5)},${lon.toFixed(5)}: offline ${a} m to ${offline.results[0].id.slice(0, 8)}, server ${b} m to ${server.results[0].id.slice(0, 8)}`);
    if (offline.results[0].id === server.results[0].id) sameNearest++;
  }
  // An estimate, not the engine: it may differ where the engine's rules (edge classes, snapping) decide otherwise.
  assert.ok(bad.length <= compared * 0.03, `walking distances differ for ${bad.length} of ${compared}:\n${bad.join('\n')}`);
  assert.ok(compared >= 150, `only ${compared} origins were on the network`);
  assert.ok(sameNearest / compared >= 0.85, `same nearest shelter for ${sameNearest} of ${compared}`);
});

test('with no street data, the offline search says it is straight-line', () => {
  const empty = new WalkGraph([]);
  const answer = empty.nearest([12.5683, 55.6761], targets, 3, 1.3, 90);
  assert.equal(answer.mode, 'straight-line');
  assert.equal(answer.results.length, 3);
  assert.ok(answer.results[0].meters <= answer.results[1].meters);
  assert.equal(answer.results[0].route.coordinates.length, 2);
});
