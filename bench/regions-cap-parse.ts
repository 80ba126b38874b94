// CAP import cost: parse + safety checks + XSD validation + mapping, for the shared samples and for
// worst-case documents just under the 256 KB limit. Goal: never more than 100 ms for one document.
// Anchor: fast-xml-parser parsing the same text without validation (what a non-validating importer costs).
// Run: node --import tsx bench/regions-cap-parse.ts
import { readFileSync, readdirSync } from 'node:fs';
import { XMLParser } from 'fast-xml-parser';
import { capToXml, MAX_CAP_BYTES, parseCap } from '../src/alerts/cap/index.ts';
import type { CapAlert, CapArea } from '../src/alerts/model.ts';
import { SHARED } from '../test/helpers.ts';

const SAMPLES = `${SHARED}/cap/samples`;
const docs: Array<[string, string]> = readdirSync(SAMPLES)
  .filter((f) => f.endsWith('.cap') && f !== 'invalid.cap' && f !== 'xee.cap')
  .map((f) => [f, readFileSync(`${SAMPLES}/${f}`, 'utf8')]);

// Worst case 1: many areas with long polygons (numbers to split and check).
function bigAlert(areas: CapArea[]): CapAlert {
  return {
    identifier: 'bench-1', sender: 'bench@refuge.example', sent: '2026-11-25T01:00:00+02:00', status: 'Test', msgType: 'Alert',
    scope: 'Public', note: null, references: [],
    info: [{ language: 'en-US', category: ['Security'], event: 'Missile attack', eventType: 'missile', stage: 'alert', urgency: 'Immediate',
      severity: 'Extreme', certainty: 'Observed', headline: 'h', description: null, instruction: null, onset: null, expires: null,
      senderName: null, web: null, areas }],
  };
}
/** The largest document under the 256 KB limit made of repeated areas (estimated, then trimmed). */
function fill(makeArea: (i: number) => CapArea): string {
  const one = Buffer.byteLength(capToXml(bigAlert([makeArea(0)])));
  const two = Buffer.byteLength(capToXml(bigAlert([makeArea(0), makeArea(1)])));
  let n = Math.floor((MAX_CAP_BYTES - one) / (two - one)) + 1;
  for (;; n--) {
    try {
      return capToXml(bigAlert(Array.from({ length: n }, (_, i) => makeArea(i))));
    } catch {
      // over the limit by a few bytes: one area fewer
    }
  }
}
const ring = (i: number) => {
  const pts: Array<[number, number]> = [];
  for (let k = 0; k < 60; k++) pts.push([31 + Math.sin(k + i) * 0.1234567, 34.5 + Math.cos(k + i) * 0.1234567]);
  pts.push(pts[0]);
  return pts;
};
docs.push(['worst: polygons', fill((i) => ({ areaDesc: `area ${i}`, regionCodes: [], polygons: [ring(i)] }))]);
docs.push(['worst: region codes', fill((i) => ({ areaDesc: `a${i}`, regionCodes: [`${5000000 + i}`, `${6000000 + i}`], polygons: [] }))]);

// Hostile inputs (rejected): deep nesting, and a flood of unexpected elements; timed to the rejection.
const open = '<alert xmlns="urn:oasis:names:tc:emergency:cap:1.2">';
docs.push(['hostile: deep nesting', open + '<x>'.repeat(60_000) + '</x>'.repeat(1) ]);
docs.push(['hostile: 15k unknown elements', open + '<x a="1" b="2"/>'.repeat(15_000) + '</alert>']);

const fxp = new XMLParser({ ignoreAttributes: false, removeNSPrefix: true, processEntities: false });
// Wall time is inflated when other work shares the 2 cores; CPU time (process.cpuUsage) shows the work itself.
console.log('| document | bytes | parseCap median ms | parseCap max ms | parseCap max CPU ms | fast-xml-parser median ms | ratio |');
console.log('|---|---:|---:|---:|---:|---:|---:|');
for (const [name, xml] of docs) {
  const times: number[] = [];
  const cpu: number[] = [];
  const anchor: number[] = [];
  for (let i = 0; i < 30; i++) {
    let t = performance.now();
    const c = process.cpuUsage();
    try {
      parseCap(xml);
    } catch (err) {
      if (!name.startsWith('hostile')) throw err;
    }
    times.push(performance.now() - t);
    const used = process.cpuUsage(c);
    cpu.push((used.user + used.system) / 1000);
    t = performance.now();
    try {
      fxp.parse(xml);
    } catch {
      // the anchor may reject hostile input too
    }
    anchor.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  anchor.sort((a, b) => a - b);
  const med = times[15];
  const amed = anchor[15];
  const maxCpu = Math.max(...cpu);
  console.log(`| ${name} | ${Buffer.byteLength(xml)} | ${med.toFixed(2)} | ${times[times.length - 1].toFixed(2)} | ${maxCpu.toFixed(2)} | ${amed.toFixed(2)} | ${(med / amed).toFixed(2)}x |`);
}
