// Resident reports: the public face of the capability.
export * from './report.ts';
export * from './ports.ts';
export * from './errors.ts';
export * from './ranking.ts';
export { ReportService, type ReportInput, type QueueEntry, type ReportLimits } from './service.ts';
