// Alert lifecycle and live delivery: builds the lifecycle, the outbox worker, the bus, the SSE hub, Web Push and the
// optional MQTT publisher, and registers the /api/alerts and /api/push routes.
//
// Settings (environment, read here at the edge only):
//   REFUGE_CAP_SENDER      CAP <sender> of issued alerts (default alerts@refuge.local); no import may claim it
//   REFUGE_CAP_SENDER_NAME the name residents see on our alerts (CAP <senderName>, default "Refuge")
//   REFUGE_ALERT_BUS       nats://host:port (JetStream) or redis://host:port to join several server processes; unset = in-process
//   REFUGE_ALERT_BUS_TOPIC the NATS subject / Redis channel (default refuge.alerts.events / refuge:alerts:events), so
//                          separate deployments can share one broker
//   REFUGE_VAPID_SUBJECT   mailto: or https: contact for push services (default mailto:alerts@refuge.local)
//   REFUGE_PUSH_CA_FILE    PEM file of extra certificate authorities trusted for push endpoints (an egress proxy or
//                          push relay with a private CA; the end-to-end test's push service); unset = system CAs only
//   REFUGE_MQTT_URL        mqtt://host:port to publish alerts per region for sirens and displays; unset = off
//   REFUGE_MQTT_PREFIX     topic prefix (default refuge/alerts)
//   REFUGE_MQTT_CA_FILE    PEM of the CA of an mqtts:// broker with a private CA (user:password go in REFUGE_MQTT_URL)
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { rootCertificates } from 'node:tls';
import type { Capability } from './capability.ts';
import type { AlertDeliveryServices } from '../../app/services/alert-delivery.ts';
import type { AppContext } from '../context.ts';
import { RegionIndex } from '../../geo/index.ts';
import { assessImportTrust, capToXml, createCapSigner, loadOrCreateSigningKey, signPayload, verifyCap } from '../../alerts/index.ts';
import { AlertLifecycle, type RegionDirectory } from '../../alerts/lifecycle/index.ts';
import { deliveryFigures, ensureVapidKeys, InProcessBus, OutboxWorker, PushDispatcher, ReachReporter, SseHub, type DeliveryRecord } from '../../alerts/delivery/index.ts';

export type { AlertDeliveryServices } from '../../app/services/alert-delivery.ts';
import { connectBus } from '../../adapters/alert-bus/connect-bus.ts';
import { MqttPublisher } from '../../adapters/alert-bus/mqtt-publisher.ts';
import { createPushAgent, generateVapidKeys, WebPushSender } from '../../adapters/web-push/index.ts';
import { ApprovalNotices, ApprovalsNotifier, WaitingDrafts } from '../../alerts/approvals/index.ts';
import { APPROVE_ROLES } from '../../api/alerts.ts';
import { alertRoutes } from '../routes/alerts.ts';
import { alertStreamRoutes } from '../routes/alerts-stream.ts';
import { pushRoutes } from '../routes/alerts-push.ts';
import { alertTemplateRoutes } from '../routes/alert-templates.ts';
import { staffPushRoutes } from '../routes/staff-push.ts';

const EMPTY_REGIONS = new RegionIndex([]);

/** The regions capability keeps the RegionIndex on ctx.regions (replaced on re-import); before it, no region is known. */
function regionIndexOf(ctx: AppContext): RegionIndex {
  return ctx.regions ?? EMPTY_REGIONS;
}

/** The system CAs plus the ones in `file` (REFUGE_PUSH_CA_FILE: an egress proxy's, or a test's own). */
function casWith(file: string): string[] {
  let pem: string;
  try {
    pem = readFileSync(file, 'utf8');
  } catch (err) {
    throw new Error(`REFUGE_PUSH_CA_FILE: cannot read ${JSON.stringify(file)}: ${(err as Error).message}`);
  }
  if (!pem.includes('-----BEGIN CERTIFICATE-----')) throw new Error(`REFUGE_PUSH_CA_FILE: ${JSON.stringify(file)} holds no PEM certificate`);
  return [...rootCertificates, pem];
}

function readSetting(name: string, file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (err) {
    throw new Error(`${name}: cannot read ${JSON.stringify(file)}: ${(err as Error).message}`);
  }
}

export function alertServices(ctx: AppContext): AlertDeliveryServices {
  if (!ctx.alertDelivery) throw new Error('the alerts-lifecycle capability has not started');
  return ctx.alertDelivery;
}

export const alertsLifecycleCapability: Capability = {
  name: 'alerts-lifecycle',
  async start(ctx) {
    const cfg = ctx.settings;
    // Read before anything is connected, so a bad setting stops the start with nothing left open.
    // Push connections go to public addresses only, checked at connect time (DNS rebinding); REFUGE_PUSH_ALLOW_PRIVATE=1
    // lifts that for local testing, as it does for the endpoint check when subscribing.
    const pushAgent = createPushAgent({ ca: cfg.pushCaFile ? casWith(cfg.pushCaFile) : undefined, allowPrivate: cfg.pushAllowPrivate });
    const regionIndex = () => regionIndexOf(ctx);
    const regions: RegionDirectory = { region: (code) => regionIndex().get(code) };
    const { alerts: store, outbox, push: pushStore, reach: deliveryStore, trust: trusted } = ctx.store;
    const processId = `${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`;
    const signingKey = loadOrCreateSigningKey(ctx.paths.signingKeyDir);
    const bus = cfg.alertBus ? await connectBus(cfg.alertBus, cfg.alertBusTopic ?? undefined) : new InProcessBus();
    const hub = new SseHub({ regions });
    // Subscribed first, then warmed with the events committed before this process started (Last-Event-ID survives
    // restarts): an event published between the two is then in one or the other, never lost; one in both is kept
    // once (the hub drops a seq it already holds, and keeps its log in seq order).
    const unsubscribeBus = await bus.subscribe((e) => hub.accept(e));
    hub.warm(await outbox.liveEvents(Date.now(), 10_000));
    const reach = new ReachReporter({ hub, store: deliveryStore, processId, log: (m, e) => console.error(m, e ?? '') });
    const vapid = await ensureVapidKeys(pushStore, cfg.vapidSubject, generateVapidKeys);
    const push = new PushDispatcher({ store: pushStore, sender: new WebPushSender(vapid, { agent: pushAgent }), regions, log: (m, e) => console.error(m, e ?? '') });
    const mqttCa = cfg.mqttCaFile ? readSetting('REFUGE_MQTT_CA_FILE', cfg.mqttCaFile) : undefined;
    const mqtt = cfg.mqttUrl
      ? await MqttPublisher.connect(cfg.mqttUrl, cfg.mqttPrefix, (e) => signPayload(e, signingKey), { ca: mqttCa })
      : null;
    const worker = new OutboxWorker({
      store: outbox, bus,
      pushFanOut: (e) => push.fanOut(e),
      onCompleted: (_e, queued) => { if (queued > 0) void push.kick(); },
      log: (m, e) => console.error(m, e ?? ''),
    });
    const lifecycle = new AlertLifecycle({
      store, regions, emitCap: capToXml, signer: createCapSigner(signingKey),
      verify: (xml, sig) => verifyCap(xml, sig, signingKey.publicKey).valid,
      sender: cfg.capSender,
      senderName: cfg.capSenderName,
      importTrust: (cap, xml) => assessImportTrust(cap, xml, trusted),
      onCommitted: () => void worker.kick(),
      log: (m, e) => console.error(m, e ?? ''),
    });
    // Approvers hear of a waiting draft from the lifecycle (this process, at once) and from the store (any other
    // process, within a poll), once per draft across processes: src/alerts/approvals/approval-notices.ts. The waiting
    // drafts are read by one reader per process, for the notices and the console's badge (routes/staff-push.ts) alike,
    // and only while one of them needs it.
    const approvalsNotifier = new ApprovalsNotifier({
      store: ctx.store.approvalsPush, sender: new WebPushSender(vapid, { agent: pushAgent }), approverRoles: APPROVE_ROLES,
      log: (m, e) => console.error(m, e ?? ''),
    });
    const waitingDrafts = new WaitingDrafts({ store: ctx.store.approvalsPush, log: (m, e) => console.error(m, e ?? '') });
    const approvalNotices = new ApprovalNotices({
      store: ctx.store.approvalsPush, source: waitingDrafts, approverRoles: APPROVE_ROLES, drafts: store, notifier: approvalsNotifier,
      log: (m, e) => console.error(m, e ?? ''),
    });
    lifecycle.observe((e) => (e.kind === 'drafted' ? approvalNotices.drafted(e.id, e.createdBy) : undefined));
    if (mqtt) {
      await bus.subscribe((e) => void mqtt.publish(e)
        .then(() => deliveryStore.markMqttPublished(e.seq, Date.now()))
        .catch((err) => console.error(`mqtt: publishing event ${e.seq} failed`, err)));
    }
    const figures = (records: DeliveryRecord[]) => {
      const nowMs = Date.now();
      return records.map((r) => {
        const mine = hub.reachOf(r.seq);
        return deliveryFigures(r, nowMs, mine ? { processId, reached: mine.reached, firstMs: mine.firstMs } : null, mqtt !== null);
      });
    };
    ctx.alertDelivery = { lifecycle, store, outbox, pushStore, deliveryStore, trusted, hub, reach, processId, figures, worker, push, vapid, pushAgent, bus, mqtt, signingKey, regionIndex, regions, unsubscribeBus, approvalsNotifier, approvalNotices };
    // Anything committed but not delivered before a crash goes out now.
    worker.start();
    push.start();
    reach.start();
    approvalNotices.start();
    waitingDrafts.start();
  },
  async routes(app, ctx) {
    const alerts = alertServices(ctx);
    await app.register(alertRoutes, { alerts });
    await app.register(alertStreamRoutes, { alerts, reconcileMs: ctx.options.alertHubReconcileMs });
    await app.register(pushRoutes, { alerts, pushAllowPrivate: ctx.settings.pushAllowPrivate });
    await app.register(alertTemplateRoutes, { templates: ctx.store.alertTemplates });
    await app.register(staffPushRoutes, { alerts, store: ctx.store.approvalsPush, pushAllowPrivate: ctx.settings.pushAllowPrivate });
  },
  async stop(ctx) {
    const s = ctx.alertDelivery;
    if (!s) return;
    s.hub.close();
    s.approvalNotices.stop();
    await s.approvalNotices.source.stop(); // a read in progress ends before the store closes
    await s.reach.stop(); // the last figures of this process, written once more
    await s.worker.stop();
    await s.push.stop();
    s.pushAgent?.destroy();
    await s.unsubscribeBus();
    await s.mqtt?.close();
    await s.bus.close();
  },
};
