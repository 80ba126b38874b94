// Live delivery of call-up events to stream clients. Each event carries its durable seq; a client that connects
// (or reconnects with Last-Event-ID) gets what it missed from the store and then live events, with no loss and no
// duplicate: the client is registered before the store is read, live events that arrive meanwhile wait, and only
// events above the last seq written go out.
import type { UnitEvent } from './model.ts';

export interface LiveClient {
  /** Which events this client wants. */
  matches(e: UnitEvent): boolean;
  /** Called in seq order, each event once. */
  send(e: UnitEvent): void;
}

interface Entry {
  client: LiveClient;
  last: number;
  waiting: UnitEvent[] | null;
}

export class UnitEventHub {
  private readonly entries = new Set<Entry>();
  readonly stats = { published: 0, sent: 0 };

  get clientCount(): number {
    return this.entries.size;
  }

  /** Events just made durable, in seq order. */
  publish(events: UnitEvent[]): void {
    this.stats.published += events.length;
    for (const entry of this.entries) {
      for (const e of events) {
        if (!entry.client.matches(e)) continue;
        if (entry.waiting) entry.waiting.push(e);
        else this.deliver(entry, e);
      }
    }
  }

  /**
   * Connects a client. `missed(after)` reads the durable events the client has not seen (after its Last-Event-ID,
   * or what it should see first when it has none). Returns the function that disconnects it.
   */
  async connect(client: LiveClient, lastEventId: number | null, missed: (after: number | null) => Promise<UnitEvent[]>): Promise<() => void> {
    const entry: Entry = { client, last: lastEventId ?? 0, waiting: [] };
    this.entries.add(entry);
    const disconnect = () => void this.entries.delete(entry);
    try {
      for (const e of await missed(lastEventId)) if (client.matches(e)) this.deliver(entry, e);
      const waiting = entry.waiting!;
      entry.waiting = null;
      for (const e of waiting.sort((a, b) => a.seq - b.seq)) this.deliver(entry, e);
    } catch (err) {
      disconnect();
      throw err;
    }
    return disconnect;
  }

  close(): void {
    this.entries.clear();
  }

  private deliver(entry: Entry, e: UnitEvent): void {
    if (e.seq <= entry.last) return;
    entry.last = e.seq;
    this.stats.sent++;
    entry.client.send(e);
  }
}

/** Parses Last-Event-ID; anything but a non-negative integer means none. */
export function parseEventId(value: unknown): number | null {
  if (typeof value !== 'string' || !/^\d{1,15}$/.test(value)) return null;
  return Number(value);
}
