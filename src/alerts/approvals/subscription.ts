// A browser PushSubscription as a staff device sends it, checked as the resident subscription is (without regions):
// one parser, in src/alerts/delivery/push/push-dispatcher.ts.
export { parseBrowserSubscription } from '../delivery/push/push-dispatcher.ts';
