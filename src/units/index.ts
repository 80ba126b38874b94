// Civil-defence units, members, call-ups with live answers, and readiness regimes: the capability's public face.
export * from './model.ts';
export * from './ports.ts';
export * from './errors.ts';
export { UnitService, isAvailable, type UnitInput, type MemberInput, type ExpiringCertificate, type MissingRoles } from './units-service.ts';
export { CallUpService, hashToken, newToken, linkMessage, type CallUpInput, type AnswerInput, type Answerer, type PersonalLink, type CallUpSummary, type UnitState, type MemberState, type Counts } from './callups-service.ts';
export { RegimeService, parseRegimeConfig, isLevel, DEFAULT_REGIME_CONFIG, type RegimeConfig } from './regimes-service.ts';
export { UnitEventHub, parseEventId, type LiveClient } from './live.ts';
export { UnitEventRelay } from './event-relay.ts';
export { CallUpPush } from './push.ts';
export { parseUnitsCsv, unitsToCsv, UnitCsvRejected, CSV_COLUMNS, type CsvProblem, type ParsedUnits } from './csv.ts';
