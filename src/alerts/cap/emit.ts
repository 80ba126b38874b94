// CapAlert -> CAP 1.2 XML. Every document is checked against the OASIS schema before it is returned,
// so nothing Refuge emits can be schema-invalid.
import type { CapAlert, CapArea, CapInfo } from '../model.ts';
import { toCapDateTime } from './datetime.ts';
import { CapError } from './errors.ts';
import { categoryForEventType, REFUGE_EVENT_CODE, REFUGE_REGION_GEOCODE, REFUGE_STAGE_PARAMETER, STAGE_CAP } from './event-mapping.ts';
import { CAP12_NS, validateCapXml } from './xml-guard.ts';

// Characters XML 1.0 cannot carry at all (even as references), and unpaired surrogates.
const NOT_XML_CHAR = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

function text(element: string, value: string): string {
  if (NOT_XML_CHAR.test(value)) throw new CapError('invalid-value', `<${element}> contains a character XML cannot carry`, element);
  // \r is written as a reference so it survives XML's line-end normalisation.
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/\r/g, '&#13;');
}

function el(indent: string, name: string, value: string): string {
  return `${indent}<${name}>${text(name, value)}</${name}>\n`;
}

/** CAP forbids spaces, commas, "<" and "&" in identifiers and senders (CAP 1.2 §3.2.1). */
function checkToken(element: string, value: string): string {
  if (value === '' || /[\s,<&]/.test(value)) {
    throw new CapError('invalid-value', `<${element}> must be non-empty without spaces, commas, "<" or "&": ${JSON.stringify(value)}`, element);
  }
  return value;
}

function capTime(element: string, value: string): string {
  try {
    return toCapDateTime(value);
  } catch {
    throw new CapError('invalid-value', `<${element}> is not a date-time: ${JSON.stringify(value)}`, element);
  }
}

function polygonText(ring: Array<[number, number]>): string {
  const first = ring[0];
  const last = ring[ring.length - 1];
  if (ring.length < 4 || !first || !last || first[0] !== last[0] || first[1] !== last[1]) {
    throw new CapError('invalid-value', '<polygon> needs at least 4 points, the first equal to the last', 'polygon');
  }
  for (const [lat, lon] of ring) {
    if (!(lat >= -90 && lat <= 90) || !(lon >= -180 && lon <= 180)) {
      throw new CapError('invalid-value', `<polygon> point ${lat},${lon} is out of range`, 'polygon');
    }
  }
  return ring.map(([lat, lon]) => `${lat},${lon}`).join(' ');
}

function areaXml(area: CapArea): string {
  const i = '    ';
  let out = `${i}<area>\n`;
  out += el(`${i}  `, 'areaDesc', area.areaDesc);
  for (const ring of area.polygons) out += el(`${i}  `, 'polygon', polygonText(ring));
  for (const code of area.regionCodes) {
    out += `${i}  <geocode>\n${el(`${i}    `, 'valueName', REFUGE_REGION_GEOCODE)}${el(`${i}    `, 'value', code)}${i}  </geocode>\n`;
  }
  return `${out}${i}</area>\n`;
}

function infoXml(info: CapInfo): string {
  const i = '    ';
  let out = '  <info>\n';
  out += el(i, 'language', info.language);
  const categories = info.category.length > 0 ? info.category : info.eventType ? [categoryForEventType(info.eventType)] : [];
  if (categories.length === 0) throw new CapError('invalid-value', '<info> needs a <category> (or an event type to derive it from)', 'category');
  for (const c of categories) out += el(i, 'category', c);
  out += el(i, 'event', info.event);
  if (info.stage) out += el(i, 'responseType', STAGE_CAP[info.stage].responseType);
  out += el(i, 'urgency', info.urgency);
  out += el(i, 'severity', info.severity);
  out += el(i, 'certainty', info.certainty);
  if (info.eventType) out += `${i}<eventCode>\n${el(`${i}  `, 'valueName', REFUGE_EVENT_CODE)}${el(`${i}  `, 'value', info.eventType)}${i}</eventCode>\n`;
  if (info.onset !== null) out += el(i, 'onset', capTime('onset', info.onset));
  if (info.expires !== null) out += el(i, 'expires', capTime('expires', info.expires));
  if (info.senderName !== null) out += el(i, 'senderName', info.senderName);
  if (info.headline !== null) out += el(i, 'headline', info.headline);
  if (info.description !== null) out += el(i, 'description', info.description);
  if (info.instruction !== null) out += el(i, 'instruction', info.instruction);
  if (info.web !== null) out += el(i, 'web', info.web);
  if (info.stage) out += `${i}<parameter>\n${el(`${i}  `, 'valueName', REFUGE_STAGE_PARAMETER)}${el(`${i}  `, 'value', info.stage)}${i}</parameter>\n`;
  for (const area of info.areas) out += areaXml(area);
  return `${out}  </info>\n`;
}

/** CAP 1.2 XML for an alert; throws CapError (with the element) if the alert cannot be expressed validly. */
export function capToXml(alert: CapAlert): string {
  let out = `<?xml version="1.0" encoding="UTF-8"?>\n<alert xmlns="${CAP12_NS}">\n`;
  out += el('  ', 'identifier', checkToken('identifier', alert.identifier));
  out += el('  ', 'sender', checkToken('sender', alert.sender));
  out += el('  ', 'sent', capTime('sent', alert.sent));
  out += el('  ', 'status', alert.status);
  out += el('  ', 'msgType', alert.msgType);
  out += el('  ', 'scope', alert.scope);
  if (alert.note !== null) out += el('  ', 'note', alert.note);
  if (alert.references.length > 0) {
    for (const ref of alert.references) {
      if (ref.split(',').length !== 3 || /\s/.test(ref)) {
        throw new CapError('invalid-value', `<references> entries are "sender,identifier,sent" without spaces: ${JSON.stringify(ref)}`, 'references');
      }
    }
    out += el('  ', 'references', alert.references.join(' '));
  }
  for (const info of alert.info) out += infoXml(info);
  out += '</alert>\n';
  validateCapXml(out);
  return out;
}
