// Bus over NATS core pub/sub: every server process subscribes, the one running the outbox publishes.
import { connect, type NatsConnection } from 'nats';
import type { AlertBus, AlertEvent } from '../../alerts/delivery/ports.ts';

export class NatsBus implements AlertBus {
  readonly name = 'nats';
  private constructor(private readonly nc: NatsConnection, private readonly subject: string) {}

  static async connect(servers: string, subject = 'refuge.alerts.events'): Promise<NatsBus> {
    const nc = await connect({ servers: servers.replace(/^nats:\/\//, ''), name: 'refuge-alerts', timeout: 2000, maxReconnectAttempts: -1 });
    return new NatsBus(nc, subject);
  }

  async publish(event: AlertEvent): Promise<void> {
    this.nc.publish(this.subject, Buffer.from(JSON.stringify(event)));
    // flush() resolves once the server has the message, so the outbox row is only marked done after that.
    await this.nc.flush();
  }

  async subscribe(handler: (event: AlertEvent) => void): Promise<() => Promise<void>> {
    const sub = this.nc.subscribe(this.subject, {
      callback: (err, msg) => {
        if (err) return;
        let event: AlertEvent;
        try {
          event = JSON.parse(Buffer.from(msg.data).toString('utf8')) as AlertEvent;
        } catch {
          return; // not ours; a malformed message must not take the subscriber down
        }
        handler(event);
      },
    });
    await this.nc.flush(); // the subscription is registered with the server before we say "subscribed"
    return async () => sub.unsubscribe();
  }

  async close(): Promise<void> {
    await this.nc.drain().catch(() => this.nc.close());
  }
}
