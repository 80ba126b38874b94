// Small OSM XML fixtures (as JOSM saves them) turned into .osm.pbf for the extract reader, which reads PBF only:
// nodes with tags, ways and relations, in file order (nodes, then ways, then relations, as real extracts are
// sorted). Enough of the format for hand-made fixtures under test/network/fixtures/; not a general converter.
import { readFileSync } from 'node:fs';
import { deflateSync } from 'node:zlib';
import { XMLParser } from 'fast-xml-parser';
import { bytesField, intField, varint, zigzag } from './pbf-writer.ts';

const packed = (field: number, values: number[]): number[] => (values.length ? bytesField(field, values.flatMap(varint)) : []);
const deltas = (values: number[]): number[] => {
  let prev = 0;
  return values.map((v) => { const d = v - prev; prev = v; return zigzag(d); });
};

type Tags = Record<string, string>;
export interface XmlNode { id: number; lat: number; lon: number; tags: Tags }
export interface XmlWay { id: number; refs: number[]; tags: Tags }
export interface XmlRelation { id: number; members: Array<{ type: 'node' | 'way' | 'relation'; ref: number; role: string }>; tags: Tags }
export interface OsmXml { nodes: XmlNode[]; ways: XmlWay[]; relations: XmlRelation[] }

const list = <T>(v: T | T[] | undefined): T[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);
const tagsOf = (el: { tag?: unknown }): Tags => Object.fromEntries(list(el.tag as Array<{ k: string; v: string }>).map((t) => [String(t.k), String(t.v)]));

export function parseOsmXml(xml: string): OsmXml {
  const doc = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '', parseAttributeValue: false, processEntities: true }).parse(xml) as { osm?: Record<string, unknown> };
  if (!doc.osm) throw new Error('not an OSM XML document');
  type El = { id: string; lat?: string; lon?: string; tag?: unknown; nd?: unknown; member?: unknown };
  return {
    nodes: list(doc.osm.node as El[]).map((n) => ({ id: Number(n.id), lat: Number(n.lat), lon: Number(n.lon), tags: tagsOf(n) })),
    ways: list(doc.osm.way as El[]).map((w) => ({ id: Number(w.id), refs: list(w.nd as Array<{ ref: string }>).map((r) => Number(r.ref)), tags: tagsOf(w) })),
    relations: list(doc.osm.relation as El[]).map((r) => ({
      id: Number(r.id),
      members: list(r.member as Array<{ type: string; ref: string; role?: string }>).map((m) => ({ type: m.type as 'node' | 'way' | 'relation', ref: Number(m.ref), role: m.role ?? '' })),
      tags: tagsOf(r),
    })),
  };
}

/** The .osm.pbf bytes of an OSM XML document. */
export function osmXmlToPbf(xml: string): Buffer {
  const osm = parseOsmXml(xml);
  const strings = [''];
  const str = (s: string): number => {
    let i = strings.indexOf(s);
    if (i < 0) i = strings.push(s) - 1;
    return i;
  };
  const tagFields = (tags: Tags): number[] => [...packed(2, Object.keys(tags).map(str)), ...packed(3, Object.values(tags).map(str))];
  const nodes = osm.nodes.flatMap((n) => bytesField(1, [
    ...intField(1, zigzag(n.id)), ...tagFields(n.tags), ...intField(8, zigzag(Math.round(n.lat * 1e7))), ...intField(9, zigzag(Math.round(n.lon * 1e7))),
  ]));
  const ways = osm.ways.flatMap((w) => bytesField(3, [...intField(1, w.id), ...tagFields(w.tags), ...packed(8, deltas(w.refs))]));
  const types = { node: 0, way: 1, relation: 2 } as const;
  const relations = osm.relations.flatMap((r) => bytesField(4, [
    ...intField(1, r.id), ...tagFields(r.tags),
    ...packed(8, r.members.map((m) => str(m.role))), ...packed(9, deltas(r.members.map((m) => m.ref))), ...packed(10, r.members.map((m) => types[m.type])),
  ]));
  const groups = [nodes, ways, relations].filter((g) => g.length > 0).flatMap((g) => bytesField(2, g));
  const block = [...bytesField(1, strings.flatMap((s) => bytesField(1, Buffer.from(s, 'utf8')))), ...groups];
  return Buffer.concat([blob('OSMHeader', Buffer.from(bytesField(4, Buffer.from('OsmSchema-V0.6')))), blob('OSMData', Buffer.from(block))]);
}

export function osmXmlFileToPbf(file: string): Buffer {
  return osmXmlToPbf(readFileSync(file, 'utf8'));
}

function blob(type: string, payload: Buffer): Buffer {
  const z = deflateSync(payload);
  const body = Buffer.from([...intField(2, payload.length), ...bytesField(3, z)]);
  const head = Buffer.from([...bytesField(1, Buffer.from(type)), ...intField(3, body.length)]);
  const len = Buffer.alloc(4);
  len.writeUInt32BE(head.length);
  return Buffer.concat([len, head, body]);
}
