// Planning jobs in SQLite (port: PlanJobRepository in src/planning/ports.ts). Several processes may share the file:
// a create or a claim is one IMMEDIATE transaction (the write lock first), so two never take the same job.
import type { Db } from './db.ts';
import type { PlanJobCreated, PlanJobInputs, PlanJobRecord, PlanJobRepository } from '../../planning/ports.ts';

interface Row {
  id: string; kind: string; request: string; requested_by: string | null; state: string; progress: string | null; plan_id: string | null; error: string | null;
  inputs: string | null; share_key: string | null; owner: string | null; heartbeat_at: string | null; created_at: string; started_at: string | null; finished_at: string | null;
}

function recordOf(r: Row): PlanJobRecord {
  return {
    id: r.id, kind: r.kind as PlanJobRecord['kind'], request: JSON.parse(r.request) as Record<string, unknown>, requestedBy: r.requested_by, state: r.state as PlanJobRecord['state'],
    progress: r.progress ? JSON.parse(r.progress) as PlanJobRecord['progress'] : null, planId: r.plan_id, error: r.error,
    inputs: r.inputs ? JSON.parse(r.inputs) as PlanJobInputs : null, shareKey: r.share_key, owner: r.owner, heartbeatAt: r.heartbeat_at,
    createdAt: r.created_at, startedAt: r.started_at, finishedAt: r.finished_at,
  };
}

/** SQL for "nobody runs it": no owner, a dead one, or no heartbeat since the cutoff (`?` x2 then the dead list). */
function orphaned(dead: string[]): string {
  return `(owner IS NULL OR heartbeat_at IS NULL OR heartbeat_at < ?${dead.length ? ` OR owner IN (${dead.map(() => '?').join(', ')})` : ''})`;
}

export class SqlitePlanJobRepository implements PlanJobRepository {
  constructor(private readonly db: Db) {}

  async create(job: PlanJobRecord, limits: { perPerson: number }): Promise<PlanJobCreated> {
    return this.db.transaction((): PlanJobCreated => {
      if (job.shareKey) {
        const same = this.db.prepare("SELECT * FROM plan_jobs WHERE share_key = ? AND state IN ('queued', 'running', 'done') ORDER BY created_at DESC LIMIT 1").get(job.shareKey) as Row | undefined;
        if (same) return { outcome: 'shared', job: recordOf(same) };
      }
      const waiting = this.db.prepare("SELECT count(*) AS n FROM plan_jobs WHERE state IN ('queued', 'running') AND requested_by IS ?").get(job.requestedBy) as { n: number };
      if (waiting.n >= limits.perPerson) return { outcome: 'busy', waiting: waiting.n };
      this.db.prepare(`INSERT INTO plan_jobs (id, kind, request, requested_by, state, progress, plan_id, error, inputs, share_key, owner, heartbeat_at, created_at, started_at, finished_at)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`).run(
        job.id, job.kind, JSON.stringify(job.request), job.requestedBy, job.state, job.progress ? JSON.stringify(job.progress) : null, job.planId, job.error,
        job.inputs ? JSON.stringify(job.inputs) : null, job.shareKey, job.owner, job.heartbeatAt, job.createdAt, job.startedAt, job.finishedAt);
      return { outcome: 'created', job };
    }).immediate();
  }

  async get(id: string): Promise<PlanJobRecord | null> {
    const row = this.db.prepare('SELECT * FROM plan_jobs WHERE id = ?').get(id) as Row | undefined;
    return row ? recordOf(row) : null;
  }

  async list(limit: number): Promise<PlanJobRecord[]> {
    return (this.db.prepare('SELECT * FROM plan_jobs ORDER BY created_at DESC, rowid DESC LIMIT ?').all(limit) as Row[]).map(recordOf);
  }

  async start(id: string, owner: string, inputs: PlanJobInputs, at: string): Promise<boolean> {
    return this.db.prepare("UPDATE plan_jobs SET state = 'running', started_at = ?, heartbeat_at = ?, inputs = ? WHERE id = ? AND state = 'queued' AND owner = ?")
      .run(at, at, JSON.stringify(inputs), id, owner).changes === 1;
  }

  async progress(id: string, owner: string, progress: NonNullable<PlanJobRecord['progress']>, at: string): Promise<void> {
    this.db.prepare("UPDATE plan_jobs SET progress = ?, heartbeat_at = ? WHERE id = ? AND state = 'running' AND owner = ?").run(JSON.stringify(progress), at, id, owner);
  }

  async finish(id: string, owner: string, end: { state: 'done'; planId: string; progress: PlanJobRecord['progress'] } | { state: 'failed'; error: string }, at: string): Promise<boolean> {
    const r = end.state === 'done'
      ? this.db.prepare("UPDATE plan_jobs SET state = 'done', plan_id = ?, progress = coalesce(?, progress), finished_at = ?, heartbeat_at = ? WHERE id = ? AND state = 'running' AND owner = ?")
        .run(end.planId, end.progress ? JSON.stringify(end.progress) : null, at, at, id, owner)
      : this.db.prepare("UPDATE plan_jobs SET state = 'failed', error = ?, finished_at = ?, heartbeat_at = ? WHERE id = ? AND state = 'running' AND owner = ?")
        .run(end.error, at, at, id, owner);
    return r.changes === 1;
  }

  async cancel(id: string, at: string): Promise<boolean> {
    return this.db.prepare("UPDATE plan_jobs SET state = 'cancelled', finished_at = ? WHERE id = ? AND state = 'queued'").run(at, id).changes === 1;
  }

  async heartbeat(owner: string, at: string): Promise<number> {
    return this.db.prepare("UPDATE plan_jobs SET heartbeat_at = ? WHERE owner = ? AND state IN ('queued', 'running')").run(at, owner).changes;
  }

  async activeOwners(): Promise<string[]> {
    return this.db.prepare("SELECT DISTINCT owner FROM plan_jobs WHERE state IN ('queued', 'running') AND owner IS NOT NULL").pluck().all() as string[];
  }

  async failAbandoned(staleBefore: string, deadOwners: string[], reason: string, at: string): Promise<string[]> {
    return this.db.transaction(() => {
      const ids = this.db.prepare(`SELECT id FROM plan_jobs WHERE state = 'running' AND ${orphaned(deadOwners)}`).pluck().all(staleBefore, ...deadOwners) as string[];
      const upd = this.db.prepare("UPDATE plan_jobs SET state = 'failed', error = ?, finished_at = ? WHERE id = ? AND state = 'running'");
      for (const id of ids) upd.run(reason, at, id);
      return ids;
    }).immediate();
  }

  async claimOrphans(owner: string, staleBefore: string, deadOwners: string[], limit: number, at: string): Promise<PlanJobRecord[]> {
    if (limit <= 0) return [];
    return this.db.transaction(() => {
      const rows = this.db.prepare(`SELECT * FROM plan_jobs WHERE state = 'queued' AND ${orphaned(deadOwners)} ORDER BY created_at, rowid LIMIT ?`)
        .all(staleBefore, ...deadOwners, limit) as Row[];
      const upd = this.db.prepare('UPDATE plan_jobs SET owner = ?, heartbeat_at = ? WHERE id = ?');
      for (const r of rows) upd.run(owner, at, r.id);
      return rows.map((r) => recordOf({ ...r, owner, heartbeat_at: at }));
    }).immediate();
  }

  async release(owner: string): Promise<number> {
    return this.db.prepare("UPDATE plan_jobs SET owner = NULL WHERE owner = ? AND state = 'queued'").run(owner).changes;
  }

  async prune(keep: number, plansBefore: string): Promise<number> {
    return this.db.transaction(() => {
      const gone = this.db.prepare(`DELETE FROM plan_jobs WHERE state IN ('done', 'failed', 'cancelled')
        AND id NOT IN (SELECT id FROM plan_jobs ORDER BY created_at DESC, rowid DESC LIMIT ?)`).run(keep).changes;
      // A plan made just now may not be on its job yet (saved, then the job finished): only older ones go.
      this.db.prepare("DELETE FROM plans WHERE kind IN ('coverage', 'siting') AND created_at < ? AND id NOT IN (SELECT plan_id FROM plan_jobs WHERE plan_id IS NOT NULL)").run(plansBefore);
      return gone;
    }).immediate();
  }
}
