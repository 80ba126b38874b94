// CAP 1.1 / 1.2 XML (any prefix) -> CapAlert, after the safety checks and XSD validation in xml-guard.ts.
import type { XmlElement, XmlTreeNode } from 'libxml2-wasm';
import { XmlElement as XmlElementClass } from 'libxml2-wasm';
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
  try {
    const root = doc.root;
    const ns = root.namespaceUri;
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
      info: (kids.get('info') ?? []).map((info) => parseInfo(info, ns)),
    };
    const hasSignatureElement = childElements(root).some((e) => e.name === 'Signature');
    return { alert, version, hasSignatureElement };
  } finally {
    doc.dispose();
  }
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

function parseInfo(info: XmlElement, ns: string): CapInfo {
  const kids = children(info, ns);
  const eventCodes = pairs(kids.get('eventCode'), ns);
  const parameters = pairs(kids.get('parameter'), ns);
  const eventCode = eventCodes.find((p) => p.name === REFUGE_EVENT_CODE)?.value ?? null;
  const stage = parameters.find((p) => p.name === REFUGE_STAGE_PARAMETER)?.value ?? null;
  return {
    language: optional(kids, 'language') ?? 'en-US',
    category: (kids.get('category') ?? []).map((c) => c.content as CapCategory),
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
    areas: (kids.get('area') ?? []).map((area) => parseArea(area, ns)),
  };
}

function parseArea(area: XmlElement, ns: string): CapArea {
  const kids = children(area, ns);
  return {
    areaDesc: one(kids, 'areaDesc'),
    regionCodes: pairs(kids.get('geocode'), ns)
      .filter((p) => p.name === REFUGE_REGION_GEOCODE)
      .map((p) => p.value),
    polygons: (kids.get('polygon') ?? []).map((p) => parsePolygon(p.content, p.line)),
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

function childElements(parent: XmlElement): XmlElement[] {
  const out: XmlElement[] = [];
  for (let n: XmlTreeNode | null = parent.firstChild; n; n = n.next) {
    if (n instanceof XmlElementClass) out.push(n);
  }
  return out;
}

/** Child elements in the CAP namespace, grouped by local name (the schema has fixed their order and counts). */
function children(parent: XmlElement, ns: string): Map<string, XmlElement[]> {
  const map = new Map<string, XmlElement[]>();
  for (const e of childElements(parent)) {
    if (e.namespaceUri !== ns) continue;
    const list = map.get(e.name);
    if (list) list.push(e);
    else map.set(e.name, [e]);
  }
  return map;
}

function one(kids: Map<string, XmlElement[]>, name: string): string {
  const e = kids.get(name)?.[0];
  // Unreachable after XSD validation; kept so a schema change cannot yield undefined silently.
  if (!e) throw new CapError('schema', `required element <${name}> is missing`, name);
  return e.content;
}

function optional(kids: Map<string, XmlElement[]>, name: string): string | null {
  const e = kids.get(name)?.[0];
  return e ? e.content : null;
}

function pairs(elements: XmlElement[] | undefined, ns: string): Array<{ name: string; value: string }> {
  return (elements ?? []).map((e) => {
    const kids = children(e, ns);
    return { name: optional(kids, 'valueName') ?? '', value: optional(kids, 'value') ?? '' };
  });
}
