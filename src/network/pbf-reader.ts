// Reads an .osm.pbf file into the nodes and walkable ways the graph builder needs.
//
// Block decoding (PrimitiveBlock -> nodes/ways) is done by osm-pbf-parser-node (chosen after measuring, see
// docs/benchmarks.md). The file framing (length-prefixed BlobHeader + Blob) is read here because the
// library's own stream lets a zlib error on a corrupt block escape as an uncaught exception that kills the
// process; reading blob by blob lets every failure become an error naming the file and byte offset.
import { open } from 'node:fs/promises';
import { inflateSync } from 'node:zlib';
import { parse as parseBlock } from 'osm-pbf-parser-node';
import { classifyWay, type EdgeClass, type FootProfile, type Tags } from './profile.ts';

export class PbfFormatError extends Error {
  constructor(file: string, offset: number, message: string) {
    super(`${file}: not a valid OSM PBF file (at byte ${offset}): ${message}`);
    this.name = 'PbfFormatError';
  }
}

export interface OsmWay {
  id: number;
  refs: number[];
  cls: EdgeClass;
}

export interface OsmExtract {
  /** OSM node id -> index into lat/lon (1e-7 degree integers, the precision OSM stores). */
  nodeIndex: Map<number, number>;
  lat: number[];
  lon: number[];
  ways: OsmWay[];
  stats: { nodes: number; ways: number; walkableWays: number; blocks: number; bbox: [number, number, number, number] | null };
}

const MAX_HEADER = 64 * 1024;
const MAX_BLOB = 32 * 1024 * 1024;

/** Minimal protobuf field walker for the two framing messages (BlobHeader, Blob). */
function readFields(buf: Uint8Array, onField: (field: number, wire: number, value: number, start: number, end: number) => void): void {
  let pos = 0;
  const varint = (): number => {
    let result = 0;
    let shift = 0;
    for (;;) {
      if (pos >= buf.length) throw new Error('truncated varint');
      const b = buf[pos++];
      result += (b & 0x7f) * 2 ** shift;
      if (b < 0x80) return result;
      shift += 7;
      if (shift > 63) throw new Error('varint too long');
    }
  };
  while (pos < buf.length) {
    const key = varint();
    const field = Math.floor(key / 8);
    const wire = key & 7;
    if (wire === 0) onField(field, wire, varint(), 0, 0);
    else if (wire === 2) {
      const len = varint();
      if (pos + len > buf.length) throw new Error('length-delimited field runs past the end of the message');
      onField(field, wire, len, pos, pos + len);
      pos += len;
    } else if (wire === 1) pos += 8;
    else if (wire === 5) pos += 4;
    else throw new Error(`unsupported protobuf wire type ${wire}`);
  }
}

/** One decoded OSM element, as osm-pbf-parser-node gives it. */
export interface PbfItem { type: string; id: number; lat?: number; lon?: number; refs?: number[]; tags?: Tags; members?: Array<{ type: string; ref: number; role: string }> }

/**
 * Reads an .osm.pbf file block by block and hands each data block's elements to `onItems`, with tags decoded for the
 * kinds `withTags` asks for (decoding tags is most of the cost: a walking graph needs only the ways').
 * Every framing or decoding failure becomes a PbfFormatError naming the file and byte offset.
 */
export async function readPbfBlocks(file: string, withTags: { node: boolean; way: boolean; relation: boolean }, onItems: (items: PbfItem[], blobAt: number) => void): Promise<{ blocks: number }> {
  const handle = await open(file, 'r');
  let blocks = 0;
  try {
    const { size } = await handle.stat();
    let offset = 0;
    const lenBuf = Buffer.alloc(4);
    const readExact = async (buf: Buffer, at: number, what: string): Promise<void> => {
      const { bytesRead } = await handle.read(buf, 0, buf.length, at);
      if (bytesRead !== buf.length) throw new PbfFormatError(file, at, `file ends inside ${what} (truncated?)`);
    };
    if (size === 0) throw new PbfFormatError(file, 0, 'file is empty');
    let sawHeader = false;
    while (offset < size) {
      await readExact(lenBuf, offset, 'a blob length');
      const headerLen = lenBuf.readUInt32BE(0);
      if (headerLen === 0 || headerLen > MAX_HEADER) throw new PbfFormatError(file, offset, `implausible blob header length ${headerLen}`);
      const headerBuf = Buffer.alloc(headerLen);
      await readExact(headerBuf, offset + 4, 'a blob header');
      let type = '';
      let dataSize = -1;
      try {
        readFields(headerBuf, (f, w, v, s, e) => {
          if (f === 1 && w === 2) type = headerBuf.toString('utf8', s, e);
          else if (f === 3 && w === 0) dataSize = v;
        });
      } catch (err) {
        throw new PbfFormatError(file, offset + 4, `bad blob header: ${(err as Error).message}`);
      }
      if (type !== 'OSMHeader' && type !== 'OSMData') throw new PbfFormatError(file, offset + 4, `unknown blob type ${JSON.stringify(type.slice(0, 20))}`);
      if (!sawHeader && type !== 'OSMHeader') throw new PbfFormatError(file, offset, 'first blob is not an OSMHeader');
      if (dataSize < 0 || dataSize > MAX_BLOB) throw new PbfFormatError(file, offset + 4, `implausible blob size ${dataSize}`);
      const blobAt = offset + 4 + headerLen;
      const blobBuf = Buffer.alloc(dataSize);
      await readExact(blobBuf, blobAt, `a ${type} blob`);
      let raw: Buffer | null = null;
      let zlib: Buffer | null = null;
      let otherCompression = false;
      try {
        readFields(blobBuf, (f, w, _v, s, e) => {
          if (f === 1 && w === 2) raw = blobBuf.subarray(s, e);
          else if (f === 3 && w === 2) zlib = blobBuf.subarray(s, e);
          else if (f >= 4 && w === 2) otherCompression = true;
        });
      } catch (err) {
        throw new PbfFormatError(file, blobAt, `bad blob: ${(err as Error).message}`);
      }
      let data: Buffer;
      if (zlib) {
        try {
          data = inflateSync(zlib);
        } catch (err) {
          throw new PbfFormatError(file, blobAt, `corrupt compressed block: ${(err as Error).message}`);
        }
      } else if (raw) data = raw;
      else throw new PbfFormatError(file, blobAt, otherCompression ? 'unsupported block compression (only zlib and raw are read)' : 'empty blob');
      if (type === 'OSMHeader') {
        sawHeader = true;
      } else {
        let items: PbfItem[];
        try {
          items = parseBlock(data, withTags as never) as PbfItem[];
        } catch (err) {
          throw new PbfFormatError(file, blobAt, `corrupt data block: ${(err as Error).message}`);
        }
        onItems(items, blobAt);
        blocks++;
      }
      offset = blobAt + dataSize;
    }
    if (!sawHeader) throw new PbfFormatError(file, 0, 'no OSMHeader block');
  } finally {
    await handle.close();
  }
  return { blocks };
}

export async function readOsmExtract(file: string, profile: Pick<FootProfile, 'ferries'>): Promise<OsmExtract> {
  const nodeIndex = new Map<number, number>();
  const lat: number[] = [];
  const lon: number[] = [];
  const ways: OsmWay[] = [];
  let wayCount = 0;
  let bbox: [number, number, number, number] | null = null;
  const { blocks } = await readPbfBlocks(file, { node: false, way: true, relation: false }, (items, blobAt) => {
    for (const it of items) {
      if (it.type === 'node') {
        if (!Number.isFinite(it.lat) || !Number.isFinite(it.lon) || Math.abs(it.lat!) > 90 || Math.abs(it.lon!) > 180) {
          throw new PbfFormatError(file, blobAt, `node ${it.id} has invalid coordinates`);
        }
        nodeIndex.set(it.id, lat.length);
        lat.push(Math.round(it.lat! * 1e7));
        lon.push(Math.round(it.lon! * 1e7));
      } else if (it.type === 'way') {
        wayCount++;
        const cls = classifyWay(it.tags, profile);
        if (cls !== null && it.refs && it.refs.length >= 2) ways.push({ id: it.id, refs: it.refs, cls });
      }
    }
  });
  if (lat.length > 0) {
    let minLat = Infinity, minLon = Infinity, maxLat = -Infinity, maxLon = -Infinity;
    for (let i = 0; i < lat.length; i++) {
      if (lat[i] < minLat) minLat = lat[i];
      if (lat[i] > maxLat) maxLat = lat[i];
      if (lon[i] < minLon) minLon = lon[i];
      if (lon[i] > maxLon) maxLon = lon[i];
    }
    bbox = [minLon / 1e7, minLat / 1e7, maxLon / 1e7, maxLat / 1e7];
  }
  return { nodeIndex, lat, lon, ways, stats: { nodes: lat.length, ways: wayCount, walkableWays: ways.length, blocks, bbox } };
}
