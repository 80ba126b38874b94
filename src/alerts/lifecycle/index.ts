// Public face of the alert lifecycle: drafting, the two-person rule, issuing into the outbox, cancelling.
export { AlertLifecycle, APPROVE_ROLES, DRAFT_ROLES, SYSTEM_AUTHOR, notDeliverable, referenceTriple, type IssueResult, type LifecycleOptions } from './lifecycle.ts';
export { LifecycleError, type LifecycleErrorKind } from './errors.ts';
export { buildAlertEvent, isExpired, type AlertEvent, type AlertEventRegion } from './alert-event.ts';
export { parseDraftInput, capTime, exerciseMark, DRAFTABLE_STATUSES, DRAFTABLE_MSG_TYPES, MAX_ALERT_LIFETIME_MS, type DraftInput } from './draft-input.ts';
export type { Actor, AlertStore, CapEmitter, CapSigner, IssueWrite, OutboxEntry, RegionDirectory, RegionInfo } from './ports.ts';
export { withAncestors } from './regions.ts';
