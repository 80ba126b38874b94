// What the audit log covers: every table whose changes are written to it, how a row is named (its key), and which
// columns are never copied into it. Both stores install their triggers from this one list (src/store/*/audit-*.ts),
// and docs/audit.md describes it; a test fails when a table is in neither list below.

// Capabilities added later keep their tables' lines in coverage/<capability>.ts, so each can change its own.
import * as shelterCard from './coverage/shelter-card.ts';
import * as alertTemplates from './coverage/alert-templates.ts';
import * as approvalsPush from './coverage/approvals-push.ts';
import * as planJobs from './coverage/plan-jobs.ts';
import * as jurisdiction from './coverage/jurisdiction.ts';
import * as places from './coverage/places.ts';
const PARTS = [shelterCard, alertTemplates, approvalsPush, planJobs, jurisdiction, places];

export interface AuditedTable {
  table: string;
  /** Columns naming the row in the log (`key`, joined with '/'); the record a console asks about. */
  key: string[];
  /** Secrets: the log says that they are set or changed ("[secret]", "[secret changed]"), never their value. */
  secret?: string[];
  /** Large values: the log keeps "sha256:<hex>" of them, which shows that (and when) they changed. */
  digest?: string[];
  /** Left out of the log, and a change to them alone writes no entry (bookkeeping, not a decision). */
  ignore?: string[];
}

/**
 * PostgreSQL keeps an insertion-order column where SQLite has its rowid (pos, ord, seq): left out on both, so an entry
 * names the same fields on either store.
 */
const PG_ORDER = ['pos', 'ord'];

export const AUDITED_TABLES: readonly AuditedTable[] = [
  // Registry
  { table: 'shelters', key: ['id'] },
  { table: 'sources', key: ['name'] },
  { table: 'shelter_wardens', key: ['shelter_id', 'user_name'] },
  { table: 'shelter_reports', key: ['id'], secret: ['reporter_key'], ignore: ['seq'] },
  { table: 'regions', key: ['code'], digest: ['geometry'] },
  // Accounts and tokens
  { table: 'users', key: ['name'], secret: ['password_hash'] },
  { table: 'api_tokens', key: ['id'], secret: ['token_hash'], ignore: ['last_used_at', 'seq'] },
  { table: 'account_events', key: ['id'] },
  // Alerts
  { table: 'alerts', key: ['id'], ignore: ['pos'] },
  { table: 'alert_trusted_authorities', key: ['sender'] },
  { table: 'push_settings', key: ['key'], secret: ['value'] },
  // Units, call-ups, regimes
  { table: 'units', key: ['id'], ignore: PG_ORDER },
  { table: 'unit_members', key: ['id'], ignore: PG_ORDER },
  { table: 'callups', key: ['id'], ignore: PG_ORDER },
  { table: 'callup_recipients', key: ['callup_id', 'member_id'], secret: ['token_hash'], ignore: ['pushed', 'pushed_at', ...PG_ORDER] },
  { table: 'callup_answers', key: ['callup_id', 'member_id'], ignore: PG_ORDER },
  { table: 'regime_changes', key: ['id'], ignore: PG_ORDER },
  // Stock
  { table: 'stock_depots', key: ['id'] },
  { table: 'stock_items', key: ['id'] },
  { table: 'stock_minimums', key: ['depot_id', 'item_id'] },
  { table: 'stock_lots', key: ['item_id', 'lot'] },
  { table: 'stock_transfers', key: ['id'], ignore: PG_ORDER },
  { table: 'stock_counts', key: ['id'], ignore: PG_ORDER },
  { table: 'stock_count_lines', key: ['count_id', 'item_id', 'lot'] },
  { table: 'stock_movements', key: ['id'] },
  { table: 'stock_movement_lines', key: ['movement_seq', 'lot'] },
  ...PARTS.flatMap((p) => p.AUDITED),
];

/** Tables left out on purpose, and why (docs/audit.md lists them). */
export const NOT_AUDITED: Readonly<Record<string, string>> = {
  shelter_history: 'derived: written with every shelter change, which the log has',
  sessions: 'sign-ins; keyed by a secret, and expiring by the thousand; account changes are in users and account_events',
  alert_outbox: 'delivery progress of issued alerts (the alert itself is audited)',
  alert_reach: 'reach figures, rewritten every few seconds while an alert is live',
  push_subscriptions: "residents' devices: personal data that must stay erasable, and not a staff decision",
  push_subscription_regions: 'derived from push_subscriptions',
  push_jobs: 'the Web Push retry queue',
  unit_events: 'derived: the live stream of call-up changes, which the log has',
  unit_member_push: "members' devices (push subscriptions)",
  stock_balances: 'derived: the sum of the ledger (stock_movement_lines), which the log has',
  stock_positions: 'PostgreSQL lock rows, no data',
  regime_regions: 'PostgreSQL lock rows, no data',
  population_imports: 'planning input, replaced whole by each import (hundreds of thousands of cells)',
  population_cells: 'planning input, replaced whole by each import',
  plans: 'planning output, recomputable',
  plan_assignments: 'planning output, recomputable',
  schema_migrations: 'schema versions',
  audit_log: 'the log itself',
  audit_seals: 'signatures over the log',
  audit_pending: 'PostgreSQL: entries of a transaction not yet committed',
  audit_commit: 'PostgreSQL: marks a transaction that has entries to chain at commit',
  ...Object.assign({}, ...PARTS.map((p) => p.NOT_AUDITED)),
};

export function auditedTable(table: string): AuditedTable | undefined {
  return AUDITED_TABLES.find((t) => t.table === table);
}

/** The value the log keeps for a secret column: that it is set, and whether this change set it anew. */
export const SECRET_MARK = '[secret]';
export const SECRET_CHANGED_MARK = '[secret changed]';
