// Planning jobs in PostgreSQL (port: PlanJobRepository in src/planning/ports.ts; SQLite's plan-jobs.ts is the
// reference). Creates are serialised across processes by a transaction-scoped advisory lock, so the per-person limit
// and the sharing of identical jobs hold for the whole installation; orphaned queued jobs are claimed with
// FOR UPDATE SKIP LOCKED, so two processes never take the same one.
import type pg from 'pg';
import { withTransaction } from './tx.ts';
import type { PlanJobCreated, PlanJobInputs, PlanJobRecord, PlanJobRepository } from '../../planning/ports.ts';

/** Advisory lock key of job creation (any schema: creating a job is rare and quick). */
const CREATE_LOCK = 7243104;

function recordOf(r: Record<string, any>): PlanJobRecord {
  return {
    id: r.id, kind: r.kind, request: JSON.parse(r.request) as Record<string, unknown>, requestedBy: r.requested_by, state: r.state,
    progress: r.progress ? JSON.parse(r.progress) as PlanJobRecord['progress'] : null, planId: r.plan_id, error: r.error,
    inputs: r.inputs ? JSON.parse(r.inputs) as PlanJobInputs : null, shareKey: r.share_key, owner: r.owner, heartbeatAt: r.heartbeat_at,
    createdAt: r.created_at, startedAt: r.started_at, finishedAt: r.finished_at,
  };
}

/** "Nobody runs it": no owner, a dead one ($dead, a text[]), or no heartbeat since the cutoff ($stale). */
const ORPHANED = (stale: string, dead: string) => `(owner IS NULL OR heartbeat_at IS NULL OR heartbeat_at < ${stale} OR owner = ANY(${dead}::text[]))`;

export class PostgresPlanJobRepository implements PlanJobRepository {
  constructor(private readonly pool: pg.Pool) {}

  async create(job: PlanJobRecord, limits: { perPerson: number }): Promise<PlanJobCreated> {
    return withTransaction(this.pool, async (c) => {
      await c.query('SELECT pg_advisory_xact_lock($1)', [CREATE_LOCK]);
      if (job.shareKey) {
        const same = (await c.query("SELECT * FROM plan_jobs WHERE share_key = $1 AND state IN ('queued', 'running', 'done') ORDER BY created_at DESC LIMIT 1", [job.shareKey])).rows[0];
        if (same) return { outcome: 'shared', job: recordOf(same) };
      }
      const n = Number((await c.query("SELECT count(*) AS n FROM plan_jobs WHERE state IN ('queued', 'running') AND requested_by IS NOT DISTINCT FROM $1", [job.requestedBy])).rows[0].n);
      if (n >= limits.perPerson) return { outcome: 'busy', waiting: n };
      await c.query(`INSERT INTO plan_jobs (id, kind, request, requested_by, state, progress, plan_id, error, inputs, share_key, owner, heartbeat_at, created_at, started_at, finished_at)
        VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)`, [
        job.id, job.kind, JSON.stringify(job.request), job.requestedBy, job.state, job.progress ? JSON.stringify(job.progress) : null, job.planId, job.error,
        job.inputs ? JSON.stringify(job.inputs) : null, job.shareKey, job.owner, job.heartbeatAt, job.createdAt, job.startedAt, job.finishedAt]);
      return { outcome: 'created', job };
    });
  }

  async get(id: string): Promise<PlanJobRecord | null> {
    const row = (await this.pool.query('SELECT * FROM plan_jobs WHERE id = $1', [id])).rows[0];
    return row ? recordOf(row) : null;
  }

  async list(limit: number): Promise<PlanJobRecord[]> {
    return (await this.pool.query('SELECT * FROM plan_jobs ORDER BY created_at DESC, ord DESC LIMIT $1', [limit])).rows.map(recordOf);
  }

  async start(id: string, owner: string, inputs: PlanJobInputs, at: string): Promise<boolean> {
    const r = await this.pool.query("UPDATE plan_jobs SET state = 'running', started_at = $1, heartbeat_at = $1, inputs = $2 WHERE id = $3 AND state = 'queued' AND owner = $4",
      [at, JSON.stringify(inputs), id, owner]);
    return r.rowCount === 1;
  }

  async progress(id: string, owner: string, progress: NonNullable<PlanJobRecord['progress']>, at: string): Promise<void> {
    await this.pool.query("UPDATE plan_jobs SET progress = $1, heartbeat_at = $2 WHERE id = $3 AND state = 'running' AND owner = $4", [JSON.stringify(progress), at, id, owner]);
  }

  async finish(id: string, owner: string, end: { state: 'done'; planId: string; progress: PlanJobRecord['progress'] } | { state: 'failed'; error: string }, at: string): Promise<boolean> {
    const r = end.state === 'done'
      ? await this.pool.query("UPDATE plan_jobs SET state = 'done', plan_id = $1, progress = coalesce($2, progress), finished_at = $3, heartbeat_at = $3 WHERE id = $4 AND state = 'running' AND owner = $5",
        [end.planId, end.progress ? JSON.stringify(end.progress) : null, at, id, owner])
      : await this.pool.query("UPDATE plan_jobs SET state = 'failed', error = $1, finished_at = $2, heartbeat_at = $2 WHERE id = $3 AND state = 'running' AND owner = $4",
        [end.error, at, id, owner]);
    return r.rowCount === 1;
  }

  async cancel(id: string, at: string): Promise<boolean> {
    return (await this.pool.query("UPDATE plan_jobs SET state = 'cancelled', finished_at = $1 WHERE id = $2 AND state = 'queued'", [at, id])).rowCount === 1;
  }

  async heartbeat(owner: string, at: string): Promise<number> {
    return (await this.pool.query("UPDATE plan_jobs SET heartbeat_at = $1 WHERE owner = $2 AND state IN ('queued', 'running')", [at, owner])).rowCount ?? 0;
  }

  async activeOwners(): Promise<string[]> {
    return (await this.pool.query("SELECT DISTINCT owner FROM plan_jobs WHERE state IN ('queued', 'running') AND owner IS NOT NULL")).rows.map((r) => r.owner as string);
  }

  async failAbandoned(staleBefore: string, deadOwners: string[], reason: string, at: string): Promise<string[]> {
    const r = await this.pool.query(`UPDATE plan_jobs SET state = 'failed', error = $3, finished_at = $4 WHERE state = 'running' AND ${ORPHANED('$1', '$2')} RETURNING id`,
      [staleBefore, deadOwners, reason, at]);
    return r.rows.map((x) => x.id as string);
  }

  async claimOrphans(owner: string, staleBefore: string, deadOwners: string[], limit: number, at: string): Promise<PlanJobRecord[]> {
    if (limit <= 0) return [];
    // A CTE runs once (a LIMIT subquery inside IN may be re-run by the plan and take more rows than asked).
    const r = await this.pool.query(`WITH picked AS (
        SELECT id FROM plan_jobs WHERE state = 'queued' AND ${ORPHANED('$1', '$2')} ORDER BY created_at, ord LIMIT $5 FOR UPDATE SKIP LOCKED)
      UPDATE plan_jobs j SET owner = $3, heartbeat_at = $4 FROM picked WHERE j.id = picked.id RETURNING j.*`, [staleBefore, deadOwners, owner, at, limit]);
    return r.rows.sort((a, b) => Number(a.ord) - Number(b.ord)).map(recordOf);
  }

  async release(owner: string): Promise<number> {
    return (await this.pool.query("UPDATE plan_jobs SET owner = NULL WHERE owner = $1 AND state = 'queued'", [owner])).rowCount ?? 0;
  }

  async prune(keep: number, plansBefore: string): Promise<number> {
    return withTransaction(this.pool, async (c) => {
      const gone = (await c.query(`DELETE FROM plan_jobs WHERE state IN ('done', 'failed', 'cancelled')
        AND id NOT IN (SELECT id FROM plan_jobs ORDER BY created_at DESC, ord DESC LIMIT $1)`, [keep])).rowCount ?? 0;
      // A plan made just now may not be on its job yet (saved, then the job finished): only older ones go.
      await c.query("DELETE FROM plans p WHERE kind IN ('coverage', 'siting') AND created_at < $1 AND NOT EXISTS (SELECT 1 FROM plan_jobs j WHERE j.plan_id = p.id)", [plansBefore]);
      return gone;
    });
  }
}
