// Publishes every delivered alert to one MQTT topic per region, for siren controllers and public displays:
//   <prefix>/<region code>   payload: the alert event JSON (as on SSE) plus "payloadSignature" (Ed25519 by Refuge's
//                            signing key over its RFC 8785 form, src/alerts/signing/event-signature.ts), QoS 1, retained
// A siren controller verifies the payload offline with the public key it was given (`refuge verify payload.json`
// does the same), so a message forged on the broker, e.g. with "verified": true, does not verify.
// Retained, so a siren controller that reconnects learns the current state at once; with MQTT 5 the message
// expiry interval is the time left until the alert expires, so the broker drops it then. A Cancel or all-clear is
// retained in its place and tells the controller to stand down.
import mqtt, { type MqttClient } from 'mqtt';
import { isExpired } from '../../alerts/lifecycle/alert-event.ts';
import type { AlertEvent } from '../../alerts/delivery/ports.ts';

/** Turns the event into the payload object that is published (adds the signature). */
export type PayloadSigner = (event: AlertEvent) => object;

export class MqttPublisher {
  readonly stats = { published: 0, skippedExpired: 0 };
  private constructor(private readonly client: MqttClient, private readonly prefix: string, private readonly sign: PayloadSigner | null) {}

  /** `sign`: Refuge's payload signer; without it the bare event is published (tests of the transport only). */
  /** `ca`: PEM of the certificate authority of an mqtts:// broker with a private CA. User and password go in the URL. */
  static async connect(url: string, prefix = 'refuge/alerts', sign: PayloadSigner | null = null, tls: { ca?: string } = {}): Promise<MqttPublisher> {
    const client = await mqtt.connectAsync(url, {
      protocolVersion: 5, clientId: `refuge-${process.pid}-${Date.now().toString(36)}`, connectTimeout: 3000, reconnectPeriod: 1000,
      ...(tls.ca ? { ca: tls.ca, rejectUnauthorized: true } : {}),
    });
    return new MqttPublisher(client, prefix.replace(/\/+$/, ''), sign);
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
    const payload = JSON.stringify(this.sign ? this.sign(event) : event);
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
