// Bus over Redis pub/sub. Redis needs a connection of its own for subscribing.
import { createClient, type RedisClientType } from 'redis';
import type { AlertBus, AlertEvent } from '../../alerts/delivery/ports.ts';

export class RedisBus implements AlertBus {
  readonly name = 'redis';
  private sub: RedisClientType | null = null;
  private constructor(private readonly pub: RedisClientType, private readonly channel: string) {}

  static async connect(url: string, channel = 'refuge:alerts:events'): Promise<RedisBus> {
    const pub = createClient({ url, socket: { connectTimeout: 2000, reconnectStrategy: (n) => Math.min(n * 200, 2000) } }) as RedisClientType;
    pub.on('error', () => {}); // reconnects on its own; publish() rejects meanwhile and the outbox retries
    await pub.connect();
    return new RedisBus(pub, channel);
  }

  async publish(event: AlertEvent): Promise<void> {
    await this.pub.publish(this.channel, JSON.stringify(event));
  }

  async subscribe(handler: (event: AlertEvent) => void): Promise<() => Promise<void>> {
    if (!this.sub) {
      this.sub = this.pub.duplicate();
      this.sub.on('error', () => {});
      await this.sub.connect();
    }
    const listener = (message: string) => {
      let event: AlertEvent;
      try {
        event = JSON.parse(message) as AlertEvent;
      } catch {
        return;
      }
      handler(event);
    };
    await this.sub.subscribe(this.channel, listener);
    return async () => {
      await this.sub?.unsubscribe(this.channel, listener);
    };
  }

  async close(): Promise<void> {
    await this.sub?.quit().catch(() => {});
    await this.pub.quit().catch(() => {});
  }
}
