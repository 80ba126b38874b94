// PostgreSQL implementation of the reports capability's ReportRepository port (same answers as src/store/sqlite/reports.ts).
import type pg from 'pg';
import { REPORT_KINDS, type Report, type ReportKind, type ReportState } from '../../reports/report.ts';
import type { ReportRepository } from '../../reports/ports.ts';

interface Row {
  id: string; shelter_id: string; kind: string; note: string | null; created_at: string; reporter_key: string;
  state: string; resolved_at: string | null; resolved_by: string | null;
}

const COLUMNS = 'id, shelter_id, kind, note, created_at, reporter_key, state, resolved_at, resolved_by';

function fromRow(r: Row): Report {
  return {
    id: r.id, shelterId: r.shelter_id, kind: r.kind as Report['kind'], note: r.note, createdAt: r.created_at,
    reporterKey: r.reporter_key, state: r.state as ReportState, resolvedAt: r.resolved_at, resolvedBy: r.resolved_by,
  };
}

export class PostgresReportRepository implements ReportRepository {
  constructor(private readonly pool: pg.Pool) {}

  async insert(r: Report): Promise<void> {
    await this.pool.query(`INSERT INTO shelter_reports (${COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
      [r.id, r.shelterId, r.kind, r.note, r.createdAt, r.reporterKey, r.state, r.resolvedAt, r.resolvedBy]);
  }

  async get(id: string): Promise<Report | null> {
    const r = await this.pool.query<Row>(`SELECT ${COLUMNS} FROM shelter_reports WHERE id = $1`, [id]);
    return r.rows[0] ? fromRow(r.rows[0]) : null;
  }

  // Ties in the same millisecond keep the order they were made in (seq, as SQLite's rowid).
  async listOpen(): Promise<Report[]> {
    return (await this.pool.query<Row>(`SELECT ${COLUMNS} FROM shelter_reports WHERE state = 'open' ORDER BY created_at, seq`)).rows.map(fromRow);
  }

  async listForShelter(shelterId: string): Promise<Report[]> {
    return (await this.pool.query<Row>(`SELECT ${COLUMNS} FROM shelter_reports WHERE shelter_id = $1 ORDER BY created_at, seq`, [shelterId])).rows.map(fromRow);
  }

  async findOpenDuplicate(shelterId: string, kind: string, reporterKey: string): Promise<Report | null> {
    const r = await this.pool.query<Row>(`SELECT ${COLUMNS} FROM shelter_reports WHERE shelter_id = $1 AND kind = $2 AND reporter_key = $3 AND state = 'open' ORDER BY seq LIMIT 1`,
      [shelterId, kind, reporterKey]);
    return r.rows[0] ? fromRow(r.rows[0]) : null;
  }

  async countFromReporterSince(reporterKey: string, sinceIso: string): Promise<number> {
    const r = await this.pool.query<{ n: number }>('SELECT COUNT(*)::int AS n FROM shelter_reports WHERE reporter_key = $1 AND created_at >= $2', [reporterKey, sinceIso]);
    return r.rows[0].n;
  }

  async resolve(ids: string[], state: Exclude<ReportState, 'open'>, actor: string, at: string): Promise<number> {
    if (ids.length === 0) return 0;
    // One statement, so all or nothing. Rows are locked in id order (no deadlock between two overlapping resolves);
    // a report another operator resolved meanwhile is re-checked after its lock and left as it is.
    const r = await this.pool.query(`UPDATE shelter_reports SET state = $2, resolved_at = $3, resolved_by = $4
      WHERE state = 'open' AND id IN (SELECT id FROM shelter_reports WHERE id = ANY($1::text[]) AND state = 'open' ORDER BY id FOR UPDATE)`,
      [ids, state, at, actor]);
    return r.rowCount ?? 0;
  }

  async openCounts(): Promise<Map<string, Record<ReportKind, number>>> {
    const rows = (await this.pool.query<{ shelter_id: string; kind: ReportKind; n: number }>(
      "SELECT shelter_id, kind, COUNT(*)::int AS n FROM shelter_reports WHERE state = 'open' GROUP BY shelter_id, kind")).rows;
    const out = new Map<string, Record<ReportKind, number>>();
    for (const r of rows) {
      let counts = out.get(r.shelter_id);
      if (!counts) out.set(r.shelter_id, (counts = Object.fromEntries(REPORT_KINDS.map((k) => [k, 0])) as Record<ReportKind, number>));
      counts[r.kind] = r.n;
    }
    return out;
  }
}
