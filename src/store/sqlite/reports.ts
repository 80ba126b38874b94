// SQLite implementation of the reports capability's ReportRepository port.
import type { Db } from './db.ts';
import { REPORT_KINDS, type Report, type ReportKind, type ReportState } from '../../reports/report.ts';
import type { ReportRepository } from '../../reports/ports.ts';

interface Row {
  id: string; shelter_id: string; kind: string; note: string | null; created_at: string; reporter_key: string;
  state: string; resolved_at: string | null; resolved_by: string | null;
}

function fromRow(r: Row): Report {
  return {
    id: r.id, shelterId: r.shelter_id, kind: r.kind as Report['kind'], note: r.note, createdAt: r.created_at,
    reporterKey: r.reporter_key, state: r.state as ReportState, resolvedAt: r.resolved_at, resolvedBy: r.resolved_by,
  };
}

export class SqliteReportRepository implements ReportRepository {
  constructor(private readonly db: Db) {}

  async insert(r: Report): Promise<void> {
    this.db.prepare(`INSERT INTO shelter_reports (id, shelter_id, kind, note, created_at, reporter_key, state, resolved_at, resolved_by)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`).run(r.id, r.shelterId, r.kind, r.note, r.createdAt, r.reporterKey, r.state, r.resolvedAt, r.resolvedBy);
  }

  async get(id: string): Promise<Report | null> {
    const r = this.db.prepare('SELECT * FROM shelter_reports WHERE id = ?').get(id) as Row | undefined;
    return r ? fromRow(r) : null;
  }

  // Ties in the same millisecond keep the order they were made in (ids of one millisecond are not ordered).
  async listOpen(): Promise<Report[]> {
    return (this.db.prepare("SELECT * FROM shelter_reports WHERE state = 'open' ORDER BY created_at, rowid").all() as Row[]).map(fromRow);
  }

  async listForShelter(shelterId: string): Promise<Report[]> {
    return (this.db.prepare('SELECT * FROM shelter_reports WHERE shelter_id = ? ORDER BY created_at, rowid').all(shelterId) as Row[]).map(fromRow);
  }

  async findOpenDuplicate(shelterId: string, kind: string, reporterKey: string): Promise<Report | null> {
    const r = this.db.prepare("SELECT * FROM shelter_reports WHERE shelter_id = ? AND kind = ? AND reporter_key = ? AND state = 'open' LIMIT 1").get(shelterId, kind, reporterKey) as Row | undefined;
    return r ? fromRow(r) : null;
  }

  async countFromReporterSince(reporterKey: string, sinceIso: string): Promise<number> {
    return this.db.prepare('SELECT COUNT(*) FROM shelter_reports WHERE reporter_key = ? AND created_at >= ?').pluck().get(reporterKey, sinceIso) as number;
  }

  async resolve(ids: string[], state: Exclude<ReportState, 'open'>, actor: string, at: string): Promise<number> {
    const stmt = this.db.prepare("UPDATE shelter_reports SET state = ?, resolved_at = ?, resolved_by = ? WHERE id = ? AND state = 'open'");
    return this.db.transaction(() => ids.reduce((n, id) => n + stmt.run(state, at, actor, id).changes, 0))();
  }

  async openCounts(): Promise<Map<string, Record<ReportKind, number>>> {
    const rows = this.db.prepare("SELECT shelter_id, kind, COUNT(*) AS n FROM shelter_reports WHERE state = 'open' GROUP BY shelter_id, kind").all() as Array<{ shelter_id: string; kind: ReportKind; n: number }>;
    const out = new Map<string, Record<ReportKind, number>>();
    for (const r of rows) {
      let counts = out.get(r.shelter_id);
      if (!counts) out.set(r.shelter_id, (counts = Object.fromEntries(REPORT_KINDS.map((k) => [k, 0])) as Record<ReportKind, number>));
      counts[r.kind] = r.n;
    }
    return out;
  }
}
