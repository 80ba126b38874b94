// Delivery figures of one issued alert event: how far it got on the bus, the live streams and Web Push, and how fast.
// Built from what the store counted (shared by every process) plus, for the process answering, its own live count.

/** A process whose live (not final) reach rows are older than this is silent (crashed or stuck): its clients stop
 * counting. Final rows (the event expired there, or the process stopped cleanly) always count. */
export const REACH_SILENT_AFTER_MS = 30_000;

/** What the store holds for one event (alert_outbox, push_jobs, alert_reach). */
export interface DeliveryRecord {
  seq: number;
  alertId: string;
  /** The alert's issue time as recorded (CAP time, whole seconds). */
  issuedAt: string;
  /** When the issuing transaction wrote the event (ms), null for rows older than the figures. */
  committedMs: number | null;
  expiresMs: number | null;
  outcome: 'published' | 'expired' | null;
  completedAt: string | null;
  via: string | null;
  mqttPublishedMs: number | null;
  push: { targeted: number; accepted: number; failed: number; expired: number; gone: number; pending: number; retrying: number; firstMs: number | null; lastMs: number | null };
  reach: Array<{ processId: string; reached: number; firstMs: number | null; updatedMs: number; final?: boolean }>;
}

export interface DeliveryFigures {
  alertId: string;
  seq: number;
  issuedAt: string;
  expiresAt: string | null;
  expired: boolean;
  /** The outbox: when the event was handed to the bus that joins the server processes, and MQTT. */
  bus: {
    state: 'pending' | 'published' | 'expired';
    via: string | null;
    publishedAt: string | null;
    mqtt: { configured: boolean; publishedAt: string | null };
  };
  /** Server-Sent-Event clients the event was written to, over every process heard from in the last 30 s. */
  stream: { reached: number; processes: number; silentProcesses: number; silentReached: number; firstAt: string | null };
  /** Web Push: targeted = accepted + pending + failed + expired + gone. */
  push: { targeted: number; accepted: number; pending: number; retrying: number; failed: number; expired: number; gone: number; firstAcceptedAt: string | null; lastAcceptedAt: string | null };
  /** Milliseconds from the commit of the issue to each step (null until it happened). */
  timing: { committedAt: string; toBusMs: number | null; toStreamMs: number | null; toFirstPushMs: number | null; toLastPushMs: number | null };
}

export interface SelfReach {
  processId: string;
  reached: number;
  firstMs: number | null;
}

const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());
const since = (from: number, ms: number | null): number | null => (ms === null ? null : Math.max(0, ms - from));

/**
 * `self`: the answering process's in-memory figures, fresher than its last written row (which they replace).
 * `mqttConfigured`: whether the answering process publishes to MQTT.
 */
export function deliveryFigures(r: DeliveryRecord, nowMs: number, self: SelfReach | null, mqttConfigured: boolean): DeliveryFigures {
  let reached = 0, processes = 0, silentProcesses = 0, silentReached = 0;
  let firstStream: number | null = null;
  const rows = r.reach.filter((x) => x.processId !== self?.processId);
  if (self) rows.push({ ...self, updatedMs: nowMs });
  for (const x of rows) {
    if (!x.final && nowMs - x.updatedMs > REACH_SILENT_AFTER_MS) {
      silentProcesses++;
      silentReached += x.reached;
      continue;
    }
    processes++;
    reached += x.reached;
    if (x.firstMs !== null && (firstStream === null || x.firstMs < firstStream)) firstStream = x.firstMs;
  }
  const committedMs = r.committedMs ?? Date.parse(r.issuedAt);
  const publishedMs = r.outcome === 'published' && r.completedAt ? Date.parse(r.completedAt) : null;
  return {
    alertId: r.alertId,
    seq: r.seq,
    issuedAt: r.issuedAt,
    expiresAt: iso(r.expiresMs),
    expired: r.expiresMs !== null && r.expiresMs <= nowMs,
    bus: {
      state: r.outcome ?? 'pending',
      via: r.via,
      publishedAt: iso(publishedMs),
      mqtt: { configured: mqttConfigured, publishedAt: iso(r.mqttPublishedMs) },
    },
    stream: { reached, processes, silentProcesses, silentReached, firstAt: iso(firstStream) },
    push: {
      targeted: r.push.targeted, accepted: r.push.accepted, pending: r.push.pending, retrying: r.push.retrying,
      failed: r.push.failed, expired: r.push.expired, gone: r.push.gone,
      firstAcceptedAt: iso(r.push.firstMs), lastAcceptedAt: iso(r.push.lastMs),
    },
    timing: {
      committedAt: new Date(committedMs).toISOString(),
      toBusMs: since(committedMs, publishedMs),
      toStreamMs: since(committedMs, firstStream),
      toFirstPushMs: since(committedMs, r.push.firstMs),
      toLastPushMs: since(committedMs, r.push.lastMs),
    },
  };
}
