// A tiny OSM PBF writer for tests: enough of the format (plain nodes, ways, zlib blobs) to make small,
// exactly known extracts, including clipped ones whose ways reference nodes that are not in the file.
import { deflateSync } from 'node:zlib';

/** Protocol-buffer primitives, shared with osm-xml.ts. */
export function varint(n: number): number[] {
  const out: number[] = [];
  while (n >= 0x80) {
    out.push((n % 0x80) | 0x80);
    n = Math.floor(n / 0x80);
  }
  out.push(n);
  return out;
}
export const zigzag = (n: number): number => (n >= 0 ? 2 * n : -2 * n - 1);
export const key = (field: number, wire: number): number[] => varint(field * 8 + wire);
export const bytesField = (field: number, data: ArrayLike<number>): number[] => [...key(field, 2), ...varint(data.length), ...Array.from(data)];
export const intField = (field: number, v: number): number[] => [...key(field, 0), ...varint(v)];
const packed = (field: number, values: number[]): number[] => bytesField(field, values.flatMap(varint));

export interface TestNode { id: number; lat: number; lon: number }
export interface TestWay { id: number; refs: number[]; tags: Record<string, string> }

export function writePbf(nodes: TestNode[], ways: TestWay[]): Buffer {
  const strings = [''];
  const str = (s: string): number => {
    let i = strings.indexOf(s);
    if (i < 0) i = strings.push(s) - 1;
    return i;
  };
  const group: number[] = [];
  for (const n of nodes) {
    group.push(...bytesField(1, [...intField(1, zigzag(n.id)), ...intField(8, zigzag(Math.round(n.lat * 1e7))), ...intField(9, zigzag(Math.round(n.lon * 1e7)))]));
  }
  const wayGroup: number[] = [];
  for (const w of ways) {
    const keys = Object.keys(w.tags).map(str);
    const vals = Object.values(w.tags).map(str);
    let prev = 0;
    const deltas = w.refs.map((r) => { const d = r - prev; prev = r; return zigzag(d); });
    wayGroup.push(...bytesField(3, [...intField(1, w.id), ...packed(2, keys), ...packed(3, vals), ...packed(8, deltas)]));
  }
  const stringTable = strings.flatMap((s) => bytesField(1, Buffer.from(s, 'utf8')));
  const block = [...bytesField(1, stringTable), ...bytesField(2, group), ...(wayGroup.length ? bytesField(2, wayGroup) : [])];
  const header = [...bytesField(4, Buffer.from('OsmSchema-V0.6'))];
  return Buffer.concat([blob('OSMHeader', Buffer.from(header)), blob('OSMData', Buffer.from(block))]);
}

function blob(type: string, payload: Buffer): Buffer {
  const z = deflateSync(payload);
  const body = Buffer.from([...intField(2, payload.length), ...bytesField(3, z)]);
  const head = Buffer.from([...bytesField(1, Buffer.from(type)), ...intField(3, body.length)]);
  const len = Buffer.alloc(4);
  len.writeUInt32BE(head.length);
  return Buffer.concat([len, head, body]);
}
