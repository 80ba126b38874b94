// The tamper-evident audit log (issue 15): what it covers, its hash chain, the signed heads, verification, and the log
// of one record. The stores write the entries themselves (triggers), in the transaction of each change.
export { AUDITED_TABLES, NOT_AUDITED, auditedTable, SECRET_MARK, SECRET_CHANGED_MARK, type AuditedTable } from './coverage.ts';
export { GENESIS_HASH, canonicalEntry, entryDigest, entryHash, textDigest, type AuditOp, type EntryContent } from './chain.ts';
export type { AuditEntry, AuditSeal, AuditHead, AuditStore } from './ports.ts';
export { AuditSealer, makeSeal, sealMessage, sealSignatureValid, type SealKey } from './seal.ts';
export { verifyAuditChain, verifyAuditStore, storePages, type AuditProblem, type AuditProblemKind, type AuditVerifyReport, type VerifyOptions } from './verify.ts';
export { recordLog, AuditLogError, type RecordChange } from './record-log.ts';
