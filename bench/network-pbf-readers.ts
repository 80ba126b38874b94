// Which npm PBF reader? Reads every node and way of the shared extracts with each, in the same run.
// Run: node --import tsx bench/network-pbf-readers.ts
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename } from 'node:path';
import { createOSMStream } from 'osm-pbf-parser-node';
import { readOsmExtract } from '../src/network/pbf-reader.ts';
import { DEFAULT_FOOT_PROFILE } from '../src/network/profile.ts';
import { HELSINKI_PBF, KBH_PBF, MONACO_PBF } from '../test/network/fixtures.ts';

const require = createRequire(import.meta.url);
let osmread: { parse(o: Record<string, unknown>): unknown } | null = null;
try {
  osmread = require('osm-read') as typeof osmread;
} catch {
  console.log('osm-read is not installed (it lost the comparison and was removed); measuring osm-pbf-parser-node only');
}

async function withParserNode(file: string): Promise<{ nodes: number; ways: number }> {
  let nodes = 0, ways = 0;
  for await (const item of createOSMStream(file, { withTags: { node: false, way: true, relation: false } })) {
    const batch = (Array.isArray(item) ? item : [item]) as Array<{ type?: string }>;
    for (const x of batch) {
      if (x.type === 'node') nodes++;
      else if (x.type === 'way') ways++;
    }
  }
  return { nodes, ways };
}

function withOsmRead(file: string): Promise<{ nodes: number; ways: number }> {
  return new Promise((resolve, reject) => {
    let nodes = 0, ways = 0;
    osmread!.parse({
      filePath: file, format: 'pbf',
      node: () => { nodes++; }, way: () => { ways++; },
      endDocument: () => resolve({ nodes, ways }), error: (e: unknown) => reject(new Error(String(e))),
    });
  });
}

async function time<T>(fn: () => Promise<T>, runs = 3): Promise<{ ms: number; out: T }> {
  let best = Infinity;
  let out!: T;
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    out = await fn();
    best = Math.min(best, performance.now() - t);
  }
  return { ms: best, out };
}

console.log('| extract | MB | osm-pbf-parser-node ms | osm-read ms | osm-read / parser-node | our reader (parser-node blocks + own framing) ms | nodes | ways |');
console.log('|---|---|---|---|---|---|---|---|');
for (const file of [KBH_PBF, MONACO_PBF, HELSINKI_PBF]) {
  const mb = readFileSync(file).length / 1e6;
  const a = await time(() => withParserNode(file));
  const b = osmread ? await time(() => withOsmRead(file)) : null;
  const c = await time(() => readOsmExtract(file, DEFAULT_FOOT_PROFILE));
  if (b && (b.out.nodes !== a.out.nodes || b.out.ways !== a.out.ways)) console.log(`! readers disagree on ${file}`, a.out, b.out);
  console.log(`| ${basename(file)} | ${mb.toFixed(2)} | ${a.ms.toFixed(0)} | ${b ? b.ms.toFixed(0) : 'n/a'} | ${b ? (b.ms / a.ms).toFixed(2) : 'n/a'} | ${c.ms.toFixed(0)} | ${a.out.nodes} | ${a.out.ways} |`);
}
