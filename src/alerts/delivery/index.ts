// Public face of alert delivery: outbox worker, buses, SSE hub, Web Push, MQTT.
// Transport adapters that need drivers live outside the domain and are wired by the server: NATS, Redis and MQTT in
// src/adapters/alert-bus, the Web Push sender (web-push package) in src/adapters/web-push.
export type { AlertBus, OutboxStore, PushStore, PushJob, PushSubscriptionRecord } from './ports.ts';
export { OutboxWorker, type OutboxWorkerOptions } from './outbox-worker.ts';
export { InProcessBus } from './in-process-bus.ts';
export { SseHub, ALL_REGIONS, MAX_REACH_PER_ADDRESS, parseLastEventId, type ConnectOptions, type SseSink, type SseHubOptions } from './sse-hub.ts';
export { ensureVapidKeys, type VapidKeys, type VapidKeyPair } from './push/vapid.ts';
export { PushServiceError, type PushSender, type PushMessageOptions } from './push/push-sender.ts';
export { pushPayload, pushOptions, MAX_PUSH_PAYLOAD_BYTES } from './push/push-message.ts';
export { PushDispatcher, PushSubscriptionError, type PushDispatcherOptions } from './push/push-dispatcher.ts';
export type { PushOutcome, ReachRow, ReachStore } from './ports.ts';
export { ReachReporter, type ReachReporterOptions } from './reach-reporter.ts';
export { deliveryFigures, REACH_SILENT_AFTER_MS, type DeliveryFigures, type DeliveryRecord, type SelfReach } from './figures.ts';
