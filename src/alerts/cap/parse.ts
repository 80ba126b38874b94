// CAP 1.1 / 1.2 XML (any prefix) -> CapAlert, after the safety checks and XSD validation in xml-guard.ts.
// libxml2 decides what is accepted; the mapping then reads a light tree of the same text (see light-tree.ts).
import {
  ALERT_STAGES,
  EVENT_TYPES,
  type AlertStage,
  type CapAlert,
  type CapArea,
  type CapCategory,
  type CapCertainty,
  type CapInfo,
  type CapMsgType,
  type CapScope,
  type CapSeverity,
  type CapStatus,
  type CapUrgency,
  type EventType,
} from '../model.ts';
import { CapError } from './errors.ts';
import { REFUGE_EVENT_CODE, REFUGE_REGION_GEOCODE, REFUGE_STAGE_PARAMETER } from './event-mapping.ts';
import { lineAt, readLightTree, type LightElement } from './light-tree.ts';
import { loadCapDocument, type CapVersion } from './xml-guard.ts';

export interface ParsedCap {
  alert: CapAlert;
  version: CapVersion;
  /** True when the document carries an XML-DSig / Refuge <Signature> element (not checked here). */
  hasSignatureElement: boolean;
}

export interface ImportedCap extends ParsedCap {
  /** Every <info> has an <expires> in the past: keep for the record, never deliver. */
  expired: boolean;
}

/** Parses and validates a CAP document; throws CapError naming the problem and, where known, the element. */
export function parseCap(input: string | Uint8Array): CapAlert {
  return parseCapDocument(input).alert;
}

export function parseCapDocument(input: string | Uint8Array): ParsedCap {
  const { doc, version } = loadCapDocument(input);
  let xml: string;
  try {
    xml = typeof input === 'string' ? input : decodeAccepted(input, () => doc.toString());
  } finally {
    doc.dispose();
  }
  const root = readLightTree(xml);
  const ns = root.ns;
  const kids = children(root, ns);
  const alert: CapAlert = {
    identifier: one(kids, 'identifier'),
    sender: one(kids, 'sender'),
    sent: one(kids, 'sent'),
    status: one(kids, 'status') as CapStatus,
    msgType: one(kids, 'msgType') as CapMsgType,
    scope: one(kids, 'scope') as CapScope,
    note: optional(kids, 'note'),
    references: (optional(kids, 'references') ?? '').split(/\s+/).filter(Boolean),
    info: (kids.get('info') ?? []).map((info) => parseInfo(info, ns, xml)),
  };
  const hasSignatureElement = root.children.some((e) => e.name === 'Signature' && e.ns !== ns);
  return { alert, version, hasSignatureElement };
}

/** UTF-8 bytes decode directly; any other declared encoding (or a UTF-16 BOM) goes through libxml2's UTF-8 serialisation. */
function decodeAccepted(bytes: Uint8Array, serialise: () => string): string {
  const head = Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.byteLength, 200)).toString('latin1');
  const declared = /^(?:\uFEFF|\xEF\xBB\xBF)?<\?xml[^>]*encoding\s*=\s*["']([^"']+)["']/.exec(head)?.[1];
  const utf16 = bytes[0] === 0xfe || bytes[0] === 0xff || bytes[0] === 0 || bytes[1] === 0;
  if (!utf16 && (!declared || /^utf-?8$/i.test(declared))) return new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
  return serialise();
}

/** For `POST /api/alerts/import` and `refuge import cap`: parse, and flag an alert that has already expired. */
export function importCap(input: string | Uint8Array, now: Date = new Date()): ImportedCap {
  const parsed = parseCapDocument(input);
  return { ...parsed, expired: isCapExpired(parsed.alert, now) };
}

/** Expired when it has info blocks and every one has an expiry before `now` (no <expires> = no expiry). */
export function isCapExpired(alert: CapAlert, now: Date = new Date()): boolean {
  if (alert.info.length === 0) return false;
  return alert.info.every((info) => info.expires !== null && Date.parse(info.expires) <= now.getTime());
}

function parseInfo(info: LightElement, ns: string, xml: string): CapInfo {
  const kids = children(info, ns);
  const eventCodes = pairs(kids.get('eventCode'), ns);
  const parameters = pairs(kids.get('parameter'), ns);
  const eventCode = eventCodes.find((p) => p.name === REFUGE_EVENT_CODE)?.value ?? null;
  const stage = parameters.find((p) => p.name === REFUGE_STAGE_PARAMETER)?.value ?? null;
  return {
    language: optional(kids, 'language') ?? 'en-US',
    category: (kids.get('category') ?? []).map((c) => c.text as CapCategory),
    event: one(kids, 'event'),
    eventType: eventCode !== null && (EVENT_TYPES as readonly string[]).includes(eventCode) ? (eventCode as EventType) : null,
    stage: stage !== null && (ALERT_STAGES as readonly string[]).includes(stage) ? (stage as AlertStage) : null,
    urgency: one(kids, 'urgency') as CapUrgency,
    severity: one(kids, 'severity') as CapSeverity,
    certainty: one(kids, 'certainty') as CapCertainty,
    headline: optional(kids, 'headline'),
    description: optional(kids, 'description'),
    instruction: optional(kids, 'instruction'),
    onset: optional(kids, 'onset'),
    expires: optional(kids, 'expires'),
    senderName: optional(kids, 'senderName'),
    web: optional(kids, 'web'),
    areas: (kids.get('area') ?? []).map((area) => parseArea(area, ns, xml)),
  };
}

function parseArea(area: LightElement, ns: string, xml: string): CapArea {
  const kids = children(area, ns);
  return {
    areaDesc: one(kids, 'areaDesc'),
    regionCodes: pairs(kids.get('geocode'), ns)
      .filter((p) => p.name === REFUGE_REGION_GEOCODE)
      .map((p) => p.value),
    polygons: (kids.get('polygon') ?? []).map((p) => parsePolygon(p.text, lineAt(xml, p.offset))),
  };
}

/** CAP polygon: "lat,lon lat,lon ..." with at least 4 points, first = last (CAP 1.2 §3.3.2). */
function parsePolygon(value: string, line: number): Array<[number, number]> {
  const points = value.trim().split(/\s+/).map((pair) => {
    const parts = pair.split(',');
    const lat = Number(parts[0]);
    const lon = Number(parts[1]);
    if (parts.length !== 2 || parts[0] === '' || parts[1] === '' || !(lat >= -90 && lat <= 90) || !(lon >= -180 && lon <= 180)) {
      throw new CapError('invalid-value', `<polygon> at line ${line} has an invalid point ${JSON.stringify(pair)}; expected "lat,lon"`, 'polygon', line);
    }
    return [lat, lon] as [number, number];
  });
  const first = points[0];
  const last = points[points.length - 1];
  if (points.length < 4 || first[0] !== last[0] || first[1] !== last[1]) {
    throw new CapError('invalid-value', `<polygon> at line ${line} needs at least 4 points, the first equal to the last`, 'polygon', line);
  }
  return points;
}

/** Child elements in the CAP namespace, grouped by local name (the schema has fixed their order and counts). */
function children(parent: LightElement, ns: string): Map<string, LightElement[]> {
  const map = new Map<string, LightElement[]>();
  for (const e of parent.children) {
    if (e.ns !== ns) continue;
    const list = map.get(e.name);
    if (list) list.push(e);
    else map.set(e.name, [e]);
  }
  return map;
}

function one(kids: Map<string, LightElement[]>, name: string): string {
  const e = kids.get(name)?.[0];
  // Unreachable after XSD validation; kept so a schema change cannot yield undefined silently.
  if (!e) throw new CapError('schema', `required element <${name}> is missing`, name);
  return e.text;
}

function optional(kids: Map<string, LightElement[]>, name: string): string | null {
  const e = kids.get(name)?.[0];
  return e ? e.text : null;
}

function pairs(elements: LightElement[] | undefined, ns: string): Array<{ name: string; value: string }> {
  return (elements ?? []).map((e) => {
    const kids = children(e, ns);
    return { name: optional(kids, 'valueName') ?? '', value: optional(kids, 'value') ?? '' };
  });
}
