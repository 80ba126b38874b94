// Binary graph file: a JSON header followed by the typed arrays, 8-byte aligned, so loading is one read and
// no parsing (a city loads in milliseconds). Written to a temporary file and renamed, so a failed write never
// replaces a good file.
import { readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import type { Graph, GraphMeta } from './graph.ts';

const MAGIC = 'RFGNET01';
const FORMAT_VERSION = 1;

type ArrayName = 'nodeLat' | 'nodeLon' | 'edgeFrom' | 'edgeTo' | 'edgeMeters' | 'edgeClass' | 'geomOffset' | 'geomLat' | 'geomLon' | 'adjOffset' | 'adjNode' | 'adjEdge' | 'component' | 'componentSize';
const ARRAYS: Array<[ArrayName, 'i32' | 'u32' | 'f64' | 'u8']> = [
  ['nodeLat', 'i32'], ['nodeLon', 'i32'], ['edgeFrom', 'u32'], ['edgeTo', 'u32'], ['edgeMeters', 'f64'], ['edgeClass', 'u8'],
  ['geomOffset', 'u32'], ['geomLat', 'i32'], ['geomLon', 'i32'], ['adjOffset', 'u32'], ['adjNode', 'u32'], ['adjEdge', 'u32'],
  ['component', 'u32'], ['componentSize', 'u32'],
];
const CTORS = { i32: Int32Array, u32: Uint32Array, f64: Float64Array, u8: Uint8Array } as const;

export class GraphFileError extends Error {
  constructor(file: string, message: string) {
    super(`${file}: ${message}`);
    this.name = 'GraphFileError';
  }
}

interface Header {
  version: number;
  nodeCount: number;
  edgeCount: number;
  meta: GraphMeta;
  arrays: Array<{ name: ArrayName; type: string; length: number; offset: number }>;
}

export function saveGraph(g: Graph, file: string): void {
  const arrays: Header['arrays'] = [];
  // Offsets are relative to the start of the data section, which itself starts 8-aligned.
  let offset = 0;
  for (const [name, type] of ARRAYS) {
    const a = g[name];
    arrays.push({ name, type, length: a.length, offset });
    offset += Math.ceil(a.byteLength / 8) * 8;
  }
  const header: Header = { version: FORMAT_VERSION, nodeCount: g.nodeCount, edgeCount: g.edgeCount, meta: g.meta, arrays };
  const json = Buffer.from(JSON.stringify(header), 'utf8');
  const pre = 8 + 4 + json.length;
  const dataStart = Math.ceil(pre / 8) * 8;
  const out = Buffer.alloc(dataStart + offset);
  out.write(MAGIC, 0, 'ascii');
  out.writeUInt32LE(json.length, 8);
  json.copy(out, 12);
  for (const { name, offset: off } of arrays) {
    const a = g[name];
    Buffer.from(a.buffer, a.byteOffset, a.byteLength).copy(out, dataStart + off);
  }
  const tmp = `${file}.tmp-${process.pid}-${Date.now()}`;
  try {
    writeFileSync(tmp, out);
    renameSync(tmp, file);
  } catch (err) {
    rmSync(tmp, { force: true });
    throw err;
  }
}

/** Reads only the header (to check the source hash without loading the arrays). */
export function readGraphHeader(file: string): Header {
  const buf = readFileSync(file);
  return parseHeader(buf, file).header;
}

function parseHeader(buf: Buffer, file: string): { header: Header; dataStart: number } {
  if (buf.length < 12 || buf.toString('ascii', 0, 8) !== MAGIC) throw new GraphFileError(file, 'not a Refuge network file (bad magic)');
  const len = buf.readUInt32LE(8);
  if (12 + len > buf.length) throw new GraphFileError(file, 'truncated header');
  let header: Header;
  try {
    header = JSON.parse(buf.toString('utf8', 12, 12 + len)) as Header;
  } catch {
    throw new GraphFileError(file, 'corrupt header');
  }
  if (header.version !== FORMAT_VERSION) throw new GraphFileError(file, `format version ${header.version}, expected ${FORMAT_VERSION}; re-import the network`);
  return { header, dataStart: Math.ceil((12 + len) / 8) * 8 };
}

export function loadGraph(file: string): Graph {
  let buf = readFileSync(file);
  if (buf.byteOffset % 8 !== 0) buf = Buffer.from(buf); // typed-array views need aligned memory
  const { header, dataStart } = parseHeader(buf, file);
  const out: Partial<Record<ArrayName, ArrayLike<number>>> = {};
  for (const { name, type, length, offset } of header.arrays) {
    const ctor = CTORS[type as keyof typeof CTORS];
    if (!ctor) throw new GraphFileError(file, `unknown array type ${type}`);
    const start = dataStart + offset;
    if (start + length * ctor.BYTES_PER_ELEMENT > buf.length) throw new GraphFileError(file, `truncated (array ${name})`);
    out[name] = new ctor(buf.buffer, buf.byteOffset + start, length);
  }
  for (const [name] of ARRAYS) if (!out[name]) throw new GraphFileError(file, `missing array ${name}`);
  const g = { nodeCount: header.nodeCount, edgeCount: header.edgeCount, meta: header.meta, ...out } as Graph;
  if (g.nodeLat.length !== g.nodeCount || g.edgeFrom.length !== g.edgeCount || g.adjOffset.length !== g.nodeCount + 1 || g.geomOffset.length !== g.edgeCount + 1) {
    throw new GraphFileError(file, 'inconsistent array sizes');
  }
  return g;
}
