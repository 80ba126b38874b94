// Drivers for the alert bus (NATS, Redis) and MQTT live outside the alerts domain, like the stores do.
// Picks the bus from a URL: nats://... or redis://... (rediss:// too).
import type { AlertBus } from '../../alerts/delivery/ports.ts';
import { NatsBus } from './nats-bus.ts';
import { RedisBus } from './redis-bus.ts';

// `topic` (optional): the NATS subject / Redis channel, so separate deployments (or tests) can share one broker.
export async function connectBus(url: string, topic?: string): Promise<AlertBus> {
  if (url.startsWith('nats://')) return NatsBus.connect(url, topic);
  if (url.startsWith('redis://') || url.startsWith('rediss://')) return RedisBus.connect(url, topic);
  throw new Error(`alert bus URL must start with nats:// or redis:// (got ${JSON.stringify(url)})`);
}
