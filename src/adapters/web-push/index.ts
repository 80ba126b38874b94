// Web Push over HTTPS with the web-push package: the sender behind the domain's PushSender port, and VAPID key
// generation. Wired by src/server/capabilities/alerts-lifecycle.ts.
export { WebPushSender, createPushAgent, type WebPushSenderOptions, type PreparedPush } from './web-push-sender.ts';
export { guardedLookup, privateAddressReason, EgressRefusedError } from './egress-guard.ts';
export { generateVapidKeys } from './vapid-keys.ts';
