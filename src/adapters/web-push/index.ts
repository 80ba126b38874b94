// Web Push over HTTPS with the web-push package: the sender behind the domain's PushSender port, and VAPID key
// generation. Wired by src/server/capabilities/alerts-lifecycle.ts.
export { WebPushSender, type WebPushSenderOptions, type PreparedPush } from './web-push-sender.ts';
export { generateVapidKeys } from './vapid-keys.ts';
