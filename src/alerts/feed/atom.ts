// Atom index of active CAP alerts (the pattern NWS and MeteoAlarm use): one <entry> per alert, linking the
// CAP document, with the key CAP fields repeated under the cap: namespace so a broadcaster can filter
// without fetching every message. Exercise/Test/System/Draft alerts are labelled in the title.
import type { CapAlert } from '../model.ts';
import { toCapDateTime } from '../cap/datetime.ts';
import { CAP12_NS } from '../cap/xml-guard.ts';

export interface AtomFeedEntry {
  cap: CapAlert;
  /** Absolute URL of the CAP XML (e.g. https://host/api/alerts/ID.cap). */
  capUrl: string;
  /** Who speaks (the entry's author): Refuge's name, or the other authority's; default the CAP senderName or sender. */
  authorityName?: string | null;
  /** From another authority (imported): the entry carries <category term="other-authority"> and says so in its title. */
  foreign?: boolean;
}

export interface AtomFeedOptions {
  /** Absolute URL of the feed itself: its Atom id and rel="self" link. */
  selfUrl: string;
  title?: string;
  /** Feed <updated> when there is no entry (ISO 8601). */
  now: string;
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const el = (name: string, value: string) => `<${name}>${esc(value)}</${name}>`;

/** "[EXERCISE] ", "[TEST] " ... for anything that is not an Actual alert, so it can never pass for one. */
export function statusLabel(status: CapAlert['status']): string {
  return status === 'Actual' ? '' : `[${status.toUpperCase()}] `;
}

export function capAtomFeed(entries: AtomFeedEntry[], options: AtomFeedOptions): string {
  const sorted = [...entries].sort((a, b) => Date.parse(b.cap.sent) - Date.parse(a.cap.sent));
  const updated = sorted[0] ? sorted[0].cap.sent : toCapDateTime(options.now);
  let out = `<?xml version="1.0" encoding="UTF-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom" xmlns:cap="${CAP12_NS}">\n`;
  out += `  ${el('id', options.selfUrl)}\n  ${el('title', options.title ?? 'Refuge: active CAP alerts')}\n  ${el('updated', updated)}\n`;
  out += `  <link rel="self" type="application/atom+xml" href="${esc(options.selfUrl)}"/>\n  ${el('generator', 'Refuge')}\n`;
  for (const { cap, capUrl, authorityName, foreign } of sorted) {
    const info = cap.info[0];
    const author = authorityName || info?.senderName || cap.sender;
    const title = statusLabel(cap.status) + (foreign ? `[${author}] ` : '') + (info?.headline ?? info?.event ?? cap.identifier);
    out += '  <entry>\n';
    out += `    ${el('id', capUrl)}\n    ${el('title', title)}\n    ${el('updated', cap.sent)}\n    ${el('published', cap.sent)}\n`;
    out += `    <author>${el('name', author)}</author>\n`;
    if (foreign) out += `    <category scheme="urn:refuge:authority" term="other-authority" label="${esc(`From another authority: ${author}, relayed by Refuge`)}"/>\n`;
    out += `    <link rel="alternate" type="application/cap+xml" href="${esc(capUrl)}"/>\n`;
    if (info?.description) out += `    ${el('summary', info.description)}\n`;
    out += `    ${el('cap:identifier', cap.identifier)}\n    ${el('cap:sender', cap.sender)}\n    ${el('cap:sent', cap.sent)}\n`;
    out += `    ${el('cap:status', cap.status)}\n    ${el('cap:msgType', cap.msgType)}\n`;
    if (info) {
      out += `    ${el('cap:event', info.event)}\n    ${el('cap:urgency', info.urgency)}\n    ${el('cap:severity', info.severity)}\n    ${el('cap:certainty', info.certainty)}\n`;
      if (info.expires) out += `    ${el('cap:expires', info.expires)}\n`;
      const areaDesc = info.areas.map((a) => a.areaDesc).join('; ');
      if (areaDesc) out += `    ${el('cap:areaDesc', areaDesc)}\n`;
    }
    out += '  </entry>\n';
  }
  return `${out}</feed>\n`;
}
