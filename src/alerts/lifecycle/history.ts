// Public alert history (GET /api/alerts/history): one entry per alert chain (an alert with its Updates and its Cancel),
// built from the delivered events only. The events are what residents already received, so nothing staff-only
// (who drafted or approved) can appear here.
import type { AlertTrust, EventType } from '../model.ts';
import type { AlertEvent } from '../../api/alerts.ts';

export const HISTORY_STATES = ['issued', 'updated', 'cancelled', 'expired', 'false-alarm'] as const;
export type HistoryState = (typeof HISTORY_STATES)[number];

export const HISTORY_DEFAULT_DAYS = 7;
export const HISTORY_DEFAULT_LIMIT = 100;
export const HISTORY_MAX_LIMIT = 500;

export interface HistoryEntry {
  /** Refuge id of the chain's first alert (GET /api/alerts/:id). */
  id: string;
  /** Refuge id of the chain's latest message (the Update or Cancel in force), the same as `id` when there is none. */
  latestId: string;
  state: HistoryState;
  /** Still in force at the time of the answer (issued or updated, not expired). */
  active: boolean;
  headline: string | null;
  event: string;
  eventType: EventType | null;
  severity: string;
  senderName: string;
  foreign: boolean;
  trust: AlertTrust | null;
  /** Every region the chain covered, in the order its messages named them. */
  regions: Array<{ code: string; name: string }>;
  /** When the first message of the chain was sent. */
  sent: string;
  /** Expiry of the message in force (null: none given). */
  expires: string | null;
  /** When it ended: the Cancel's sent time, or its expiry; null while active. */
  endedAt: string | null;
  /** Seconds from `sent` to `endedAt`, or to the time of the answer while active. */
  durationS: number;
  /** Exercise or Test: never a real alert. */
  exercise: boolean;
  /** How many messages the chain has (alert, updates, cancel). */
  messages: number;
}

export interface HistoryQuery {
  nowMs: number;
  sinceMs: number;
  /** Region codes to match (a region and its sub-regions); null for every region. */
  regionCodes: ReadonlySet<string> | null;
  limit: number;
}

/** The code and every region below it (children, grandchildren, ...), from the known regions' parent links. */
export function withDescendants(regions: Iterable<{ code: string; parentCode: string | null }>, code: string): Set<string> {
  const children = new Map<string, string[]>();
  for (const r of regions) {
    if (r.parentCode === null) continue;
    const list = children.get(r.parentCode) ?? [];
    list.push(r.code);
    children.set(r.parentCode, list);
  }
  const out = new Set<string>([code]);
  const queue = [code];
  while (queue.length > 0) {
    for (const child of children.get(queue.shift()!) ?? []) {
      if (out.has(child)) continue;
      out.add(child);
      queue.push(child);
    }
  }
  return out;
}

function ms(iso: string | null): number | null {
  if (iso === null) return null;
  const v = Date.parse(iso);
  return Number.isNaN(v) ? null : v;
}

/** Builds the history from delivered events (any order): chains that were in force at or after `sinceMs`, newest first. */
export function alertHistory(events: Iterable<Pick<AlertEvent, 'seq' | 'id' | 'thread' | 'replaces' | 'msgType' | 'falseAlarm' | 'headline' | 'event' | 'eventType' | 'severity' | 'senderName' | 'sender' | 'foreign' | 'trust' | 'regions' | 'sent' | 'expires' | 'exercise'>>, q: HistoryQuery): HistoryEntry[] {
  const sorted = [...events].sort((a, b) => a.seq - b.seq);
  const threadOfId = new Map<string, string>();
  const chains = new Map<string, typeof sorted>();
  for (const e of sorted) {
    // Events stored before `thread` existed: follow what they replace.
    const thread = e.thread ?? (e.replaces[0] !== undefined ? threadOfId.get(e.replaces[0]) : undefined) ?? e.id;
    threadOfId.set(e.id, thread);
    const chain = chains.get(thread) ?? [];
    // The same alert delivered twice (a re-issue of its event) counts once: keep the latest.
    const at = chain.findIndex((c) => c.id === e.id);
    if (at >= 0) chain.splice(at, 1);
    chain.push(e);
    chains.set(thread, chain);
  }

  const out: Array<HistoryEntry & { startMs: number }> = [];
  for (const [thread, chain] of chains) {
    const first = chain[0];
    const last = chain[chain.length - 1];
    const content = [...chain].reverse().find((e) => e.msgType !== 'Cancel') ?? last;
    const startMs = ms(first.sent) ?? 0;
    const expiresMs = ms(content.expires);
    let state: HistoryState;
    let endedMs: number | null = null;
    if (last.msgType === 'Cancel') {
      state = last.falseAlarm ? 'false-alarm' : 'cancelled';
      endedMs = ms(last.sent) ?? startMs;
    } else if (expiresMs !== null && expiresMs <= q.nowMs) {
      state = 'expired';
      endedMs = expiresMs;
    } else {
      state = last.msgType === 'Update' ? 'updated' : 'issued';
    }
    if ((endedMs ?? q.nowMs) < q.sinceMs) continue;
    const regions = new Map<string, string>();
    for (const e of chain) for (const r of e.regions) if (!regions.has(r.code)) regions.set(r.code, r.name);
    if (q.regionCodes && ![...regions.keys()].some((c) => q.regionCodes!.has(c))) continue;
    out.push({
      id: thread, latestId: last.id, state, active: endedMs === null,
      headline: content.headline, event: content.event, eventType: content.eventType, severity: content.severity,
      senderName: content.senderName ?? content.sender, foreign: content.foreign === true, trust: content.trust ?? null,
      regions: [...regions].map(([code, name]) => ({ code, name })),
      sent: first.sent, expires: content.expires, endedAt: endedMs === null ? null : new Date(endedMs).toISOString(),
      durationS: Math.max(0, Math.round(((endedMs ?? q.nowMs) - startMs) / 1000)),
      exercise: first.exercise, messages: chain.length, startMs,
    });
  }
  out.sort((a, b) => b.startMs - a.startMs || (a.id < b.id ? 1 : -1));
  return out.slice(0, q.limit).map(({ startMs: _s, ...entry }) => entry);
}
