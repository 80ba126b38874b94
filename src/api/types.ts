// The enums and response shapes the API shares with the web app (web/ imports this file; nothing there copies them).
// Each is defined once: in the domain module that owns it, re-exported here, or in src/api where the domain module
// pulls in Node-only code. Everything reachable from here must stay free of node: imports and runtime dependencies,
// because Vite bundles it for the browser and `npm run typecheck` checks it under web/tsconfig.json.

// Accounts
export { ROLES, ALERT_ROLES, type Role } from '../accounts/roles.ts';
export type { AccountStatus } from '../accounts/ports.ts';

// Shelter registry (the snapshot's feature properties carry these values)
export {
  SHELTER_KINDS, SHELTER_STATUSES, OCCUPANCY_STATUSES, ACCESS_TYPES, PROTECTION_CLASSES,
  type ShelterKind, type ShelterStatus, type OccupancyStatus, type AccessType, type ProtectionClass, type Amenities, type Shelter,
} from '../registry/shelter.ts';

// Resident reports
export { REPORT_KINDS, REPORT_STATES, type ReportKind, type ReportState } from '../reports/report.ts';

// Alerts: CAP values, Refuge's event types and stages, workflow states, the live event, history and delivery figures
export {
  CAP_STATUSES, CAP_MSG_TYPES, CAP_URGENCIES, CAP_SEVERITIES, CAP_CERTAINTIES, EVENT_TYPES, ALERT_STAGES, ALERT_STATES, ALERT_TRUSTS,
  type CapStatus, type CapMsgType, type CapUrgency, type CapSeverity, type CapCertainty, type EventType, type AlertStage,
  type AlertState, type AlertTrust,
} from '../alerts/model.ts';
export { DRAFT_ROLES, APPROVE_ROLES, type AlertEvent, type AlertEventRegion } from './alerts.ts';
export { HISTORY_STATES, type HistoryState, type HistoryEntry } from '../alerts/lifecycle/history.ts';
export type { DeliveryFigures } from '../alerts/delivery/figures.ts';

// Units, call-ups and readiness regimes
export {
  UNIT_TYPES, AVAILABILITY, CALLUP_STATES, ANSWERS, REGIME_LEVELS,
  type UnitType, type Availability, type CallUp, type CallUpState, type AnswerKind, type AnswerVia, type RegimeLevel,
  type RegimeChange, type RegimeChangeState, type EffectiveRegime,
} from '../units/model.ts';

// Stock
export { MOVEMENT_TYPES, POSTABLE_TYPES, WRITE_OFF_REASONS, type MovementType, type PostableType } from '../stock/model.ts';
