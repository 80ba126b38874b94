// Publishes every delivered alert to one MQTT topic per region, for siren controllers and public displays:
//   <prefix>/<region code>   payload: the alert event JSON (as on SSE), QoS 1, retained
// Retained, so a siren controller that reconnects learns the current state at once; with MQTT 5 the message
// expiry interval is the time left until the alert expires, so the broker drops it then. A Cancel or all-clear is
// retained in its place and tells the controller to stand down.
import mqtt, { type MqttClient } from 'mqtt';
import { isExpired } from '../../alerts/lifecycle/alert-event.ts';
import type { AlertEvent } from '../../alerts/delivery/ports.ts';

export class MqttPublisher {
  readonly stats = { published: 0, skippedExpired: 0 };
  private constructor(private readonly client: MqttClient, private readonly prefix: string) {}

  static async connect(url: string, prefix = 'refuge/alerts'): Promise<MqttPublisher> {
    const client = await mqtt.connectAsync(url, { protocolVersion: 5, clientId: `refuge-${process.pid}-${Date.now().toString(36)}`, connectTimeout: 3000, reconnectPeriod: 1000 });
    return new MqttPublisher(client, prefix.replace(/\/+$/, ''));
  }

  /** MQTT topic levels may not contain + # or /; region codes are kept readable otherwise. */
  topicFor(regionCode: string): string {
    return `${this.prefix}/${regionCode.replace(/[+#/]/g, '_')}`;
  }

  async publish(event: AlertEvent, nowMs = Date.now()): Promise<void> {
    if (isExpired(event, nowMs)) {
      this.stats.skippedExpired++;
      return;
    }
    const payload = JSON.stringify(event);
    const expiry = event.expires ? Math.max(1, Math.floor((Date.parse(event.expires) - nowMs) / 1000)) : undefined;
    await Promise.all(event.regions.map((r) => this.client.publishAsync(this.topicFor(r.code), payload, {
      qos: 1, retain: true, properties: expiry ? { messageExpiryInterval: expiry, contentType: 'application/json' } : { contentType: 'application/json' },
    })));
    this.stats.published++;
  }

  async close(): Promise<void> {
    await this.client.endAsync();
  }
}
