// Public face of the alert lifecycle: drafting, the two-person rule, issuing into the outbox, cancelling.
export { AlertLifecycle, APPROVE_ROLES, DRAFT_ROLES, SYSTEM_AUTHOR, MAX_IMPORT_CLOCK_SKEW_MS, checkImportLimits, notDeliverable, referenceTriple, type ImportResult, type IssueResult, type LifecycleEvent, type LifecycleObserver, type LifecycleOptions } from './lifecycle.ts';
export { LifecycleError, type LifecycleErrorKind } from './errors.ts';
export { buildAlertEvent, isExpired, type AlertEvent, type AlertEventRegion } from './alert-event.ts';
export { parseDraftInput, checkXmlText, capTime, exerciseMark, DRAFTABLE_STATUSES, DRAFTABLE_MSG_TYPES, MAX_ALERT_LIFETIME_MS, type DraftInput } from './draft-input.ts';
export type { Actor, AlertStore, CapEmitter, CapSigner, ImportTrustAssessment, ImportTrustCheck, IssueWrite, OutboxEntry, RegionDirectory, RegionInfo, TrustedAuthority, TrustedAuthorityStore } from './ports.ts';
export { withAncestors } from './regions.ts';
