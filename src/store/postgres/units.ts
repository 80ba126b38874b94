// PostgreSQL implementation of the units capability's ports: units and members, call-ups with recipients, answers and
// the durable event log. Several servers share the database, so where SQLite relied on its single writer this uses
// row locks, ON CONFLICT and one table lock (event seq order = commit order). Same contract as SQLite:
// test/store/contract/units.contract.ts.
import type pg from 'pg';
import type { AnswerRecord, CallUp, CallUpState, Member, Recipient, Unit, UnitEvent, UnitEventInput } from '../../units/model.ts';
import type { AnswerUpdate, CallUpRepository, PushSubscriptionData, UnitImportOutcome, UnitRepository } from '../../units/ports.ts';
import { withTransaction } from './tx.ts';

type Row = Record<string, any>;

const unitFrom = (r: Row): Unit => ({
  id: r.id, name: r.name, type: r.type, regionCode: r.region_code, base: r.base, requiredRoles: r.required_roles,
  createdAt: r.created_at, createdBy: r.created_by, updatedAt: r.updated_at,
});
const memberFrom = (r: Row): Member => ({
  id: r.id, unitId: r.unit_id, name: r.name, role: r.role, phone: r.phone, email: r.email, userName: r.user_name, skills: r.skills,
  certificates: r.certificates, availability: r.availability, availableFrom: r.available_from, createdAt: r.created_at, updatedAt: r.updated_at,
});
const callupFrom = (r: Row): CallUp => ({
  id: r.id, unitIds: r.unit_ids, regionCode: r.region_code, message: r.message, reportTo: r.report_to, deadline: r.deadline,
  exercise: r.exercise, state: r.state, createdAt: r.created_at, createdBy: r.created_by, endedAt: r.ended_at, endedBy: r.ended_by, endReason: r.end_reason,
});
const recipientFrom = (r: Row): Recipient => ({
  callupId: r.callup_id, memberId: r.member_id, unitId: r.unit_id, tokenHash: r.token_hash, answer: r.answer, etaMinutes: r.eta_minutes,
  reason: r.reason, answeredAt: r.answered_at, answeredBy: r.answered_by, answeredVia: r.answered_via,
});
// seq is BIGINT, which pg hands back as a string.
const eventFrom = (r: Row): UnitEvent => ({ seq: Number(r.seq), kind: r.kind, callupId: r.callup_id, memberId: r.member_id, data: r.data, at: r.at });

// JSON columns get the JSON.stringify text, kept as written (json, not jsonb), so they read back as on SQLite.
const unitValues = (u: Unit) => [u.id, u.name, u.type, u.regionCode, u.base ? JSON.stringify(u.base) : null, JSON.stringify(u.requiredRoles), u.createdAt, u.createdBy, u.updatedAt];
const memberValues = (m: Member) => [m.id, m.unitId, m.name, m.role, m.phone, m.email, m.userName, JSON.stringify(m.skills), JSON.stringify(m.certificates),
  m.availability, m.availableFrom, m.createdAt, m.updatedAt];

const UNIT_COLUMNS = ['id', 'name', 'type', 'region_code', 'base', 'required_roles', 'created_at', 'created_by', 'updated_at'];
const MEMBER_COLUMNS = ['id', 'unit_id', 'name', 'role', 'phone', 'email', 'user_name', 'skills', 'certificates', 'availability', 'available_from', 'created_at', 'updated_at'];
// As on SQLite, an update keeps id, created_at and created_by.
const KEPT = new Set(['id', 'created_at', 'created_by']);
const insertSql = (table: string, cols: string[]) => `INSERT INTO ${table} (${cols.join(', ')}) VALUES (${cols.map((_, i) => `$${i + 1}`).join(', ')})`;
const updateSql = (table: string, cols: string[]) =>
  `UPDATE ${table} SET ${cols.filter((c) => !KEPT.has(c)).map((c, i) => `${c} = $${i + 2}`).join(', ')} WHERE id = $1`;
/** The id, then the values of the columns an update sets (in updateSql's order). */
const updateValues = (cols: string[], values: unknown[]) => [values[0], ...values.filter((_, i) => !KEPT.has(cols[i]))];
// xmax = 0 only on a row version this statement inserted: tells an insert from an update within one atomic upsert.
const upsertSql = (table: string, cols: string[]) =>
  `${insertSql(table, cols)} ON CONFLICT (id) DO UPDATE SET ${cols.filter((c) => !KEPT.has(c)).map((c) => `${c} = excluded.${c}`).join(', ')} RETURNING (xmax = 0) AS inserted`;

const INSERT_UNIT = insertSql('units', UNIT_COLUMNS);
const UPDATE_UNIT = updateSql('units', UNIT_COLUMNS);
const UPSERT_UNIT = upsertSql('units', UNIT_COLUMNS);
const INSERT_MEMBER = insertSql('unit_members', MEMBER_COLUMNS);
const UPDATE_MEMBER = updateSql('unit_members', MEMBER_COLUMNS);
const UPSERT_MEMBER = upsertSql('unit_members', MEMBER_COLUMNS);

/** SQLite reads a negative LIMIT as "no limit"; PostgreSQL refuses one and reads NULL so. */
const limitOf = (n: number): number | null => (n < 0 ? null : n);

export class PostgresUnitRepository implements UnitRepository {
  constructor(private readonly pool: pg.Pool) {}

  async insertUnit(unit: Unit): Promise<void> {
    await this.pool.query(INSERT_UNIT, unitValues(unit));
  }

  async updateUnit(unit: Unit): Promise<boolean> {
    return (await this.pool.query(UPDATE_UNIT, updateValues(UNIT_COLUMNS, unitValues(unit)))).rowCount === 1;
  }

  async getUnit(id: string): Promise<Unit | null> {
    const r = await this.pool.query('SELECT * FROM units WHERE id = $1', [id]);
    return r.rows[0] ? unitFrom(r.rows[0]) : null;
  }

  async listUnits(): Promise<Unit[]> {
    return (await this.pool.query('SELECT * FROM units ORDER BY name, pos')).rows.map(unitFrom);
  }

  async insertMember(member: Member): Promise<void> {
    await this.pool.query(INSERT_MEMBER, memberValues(member));
  }

  async updateMember(member: Member): Promise<boolean> {
    return (await this.pool.query(UPDATE_MEMBER, updateValues(MEMBER_COLUMNS, memberValues(member)))).rowCount === 1;
  }

  async getMember(id: string): Promise<Member | null> {
    const r = await this.pool.query('SELECT * FROM unit_members WHERE id = $1', [id]);
    return r.rows[0] ? memberFrom(r.rows[0]) : null;
  }

  async listMembers(unitId?: string): Promise<Member[]> {
    const r = unitId === undefined
      ? await this.pool.query('SELECT * FROM unit_members ORDER BY pos')
      : await this.pool.query('SELECT * FROM unit_members WHERE unit_id = $1 ORDER BY pos', [unitId]);
    return r.rows.map(memberFrom);
  }

  async membersOfUser(userName: string): Promise<Member[]> {
    return (await this.pool.query('SELECT * FROM unit_members WHERE user_name = $1 ORDER BY pos', [userName])).rows.map(memberFrom);
  }

  async importUnits(units: Unit[], members: Member[]): Promise<UnitImportOutcome> {
    return withTransaction(this.pool, async (c) => {
      const out: UnitImportOutcome = { unitsInserted: 0, unitsUpdated: 0, membersInserted: 0, membersUpdated: 0 };
      // One upsert per row, not exists-then-insert: two servers importing the same new ids do not fail on each other,
      // and a row given twice is inserted then updated, as on SQLite.
      for (const u of units) {
        if ((await c.query(UPSERT_UNIT, unitValues(u))).rows[0].inserted) out.unitsInserted++;
        else out.unitsUpdated++;
      }
      for (const m of members) {
        if ((await c.query(UPSERT_MEMBER, memberValues(m))).rows[0].inserted) out.membersInserted++;
        else out.membersUpdated++;
      }
      return out;
    });
  }
}

const RECIPIENT_COLUMNS = ['callup_id', 'member_id', 'unit_id', 'token_hash', 'answer', 'eta_minutes', 'reason', 'answered_at', 'answered_by', 'answered_via'];
// One statement for all recipients; ORDER BY ord hands out pos (the order added) in the order given.
const INSERT_RECIPIENTS = `INSERT INTO callup_recipients (${RECIPIENT_COLUMNS.join(', ')})
  SELECT ${RECIPIENT_COLUMNS.join(', ')} FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::int[], $7::text[], $8::text[], $9::text[], $10::text[])
    WITH ORDINALITY AS r(${RECIPIENT_COLUMNS.join(', ')}, ord) ORDER BY ord`;

export class PostgresCallUpRepository implements CallUpRepository {
  constructor(private readonly pool: pg.Pool) {}

  /**
   * Appends events as the last step of a transaction. The table lock (readers are not blocked) is held to commit, so
   * seqs are handed out in commit order: a stream that replayed up to seq n never misses a smaller seq committed later.
   * Nothing is locked after it, so it cannot take part in a deadlock.
   */
  private async appendEvents(c: pg.PoolClient, events: UnitEventInput[], at: string): Promise<UnitEvent[]> {
    if (events.length === 0) return [];
    await c.query('LOCK TABLE unit_events IN EXCLUSIVE MODE');
    const seqs = (await c.query("SELECT nextval(pg_get_serial_sequence('unit_events', 'seq')) AS seq FROM generate_series(1, $1::int)", [events.length]))
      .rows.map((r) => Number(r.seq)).sort((a, b) => a - b);
    await c.query(`INSERT INTO unit_events (seq, kind, callup_id, member_id, data, at) OVERRIDING SYSTEM VALUE
      SELECT seq, kind, callup_id, member_id, data::json, $6 FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[], $5::text[]) AS e(seq, kind, callup_id, member_id, data)`,
    [seqs, events.map((e) => e.kind), events.map((e) => e.callupId), events.map((e) => e.memberId), events.map((e) => JSON.stringify(e.data)), at]);
    return events.map((e, i) => ({ ...e, seq: seqs[i], at }));
  }

  async createCallUp(cu: CallUp, recipients: Recipient[], events: UnitEventInput[]): Promise<UnitEvent[]> {
    return withTransaction(this.pool, async (c) => {
      await c.query(`INSERT INTO callups (id, unit_ids, region_code, message, report_to, deadline, exercise, state, created_at, created_by, ended_at, ended_by, end_reason)
        VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)`, [cu.id, JSON.stringify(cu.unitIds), cu.regionCode, cu.message, cu.reportTo, cu.deadline,
        cu.exercise, cu.state, cu.createdAt, cu.createdBy, cu.endedAt, cu.endedBy, cu.endReason]);
      if (recipients.length > 0) {
        const col = <K extends keyof Recipient>(k: K) => recipients.map((r) => r[k]);
        await c.query(INSERT_RECIPIENTS, [col('callupId'), col('memberId'), col('unitId'), col('tokenHash'), col('answer'), col('etaMinutes'), col('reason'),
          col('answeredAt'), col('answeredBy'), col('answeredVia')]);
      }
      return this.appendEvents(c, events, cu.createdAt);
    });
  }

  async getCallUp(id: string): Promise<CallUp | null> {
    const r = await this.pool.query('SELECT * FROM callups WHERE id = $1', [id]);
    return r.rows[0] ? callupFrom(r.rows[0]) : null;
  }

  async listCallUps(limit: number): Promise<CallUp[]> {
    return (await this.pool.query('SELECT * FROM callups ORDER BY created_at DESC, pos DESC LIMIT $1', [limitOf(limit)])).rows.map(callupFrom);
  }

  async recipients(callupId: string): Promise<Recipient[]> {
    return (await this.pool.query('SELECT * FROM callup_recipients WHERE callup_id = $1 ORDER BY pos', [callupId])).rows.map(recipientFrom);
  }

  async recipient(callupId: string, memberId: string): Promise<Recipient | null> {
    const r = await this.pool.query('SELECT * FROM callup_recipients WHERE callup_id = $1 AND member_id = $2', [callupId, memberId]);
    return r.rows[0] ? recipientFrom(r.rows[0]) : null;
  }

  async recipientByTokenHash(tokenHash: string): Promise<Recipient | null> {
    const r = await this.pool.query('SELECT * FROM callup_recipients WHERE token_hash = $1', [tokenHash]);
    return r.rows[0] ? recipientFrom(r.rows[0]) : null;
  }

  async callUpsOfMembers(memberIds: string[], limit: number): Promise<CallUp[]> {
    if (memberIds.length === 0) return [];
    const r = await this.pool.query(`SELECT * FROM callups WHERE id IN (SELECT callup_id FROM callup_recipients WHERE member_id = ANY($1::text[]))
      ORDER BY created_at DESC, pos DESC LIMIT $2`, [memberIds, limitOf(limit)]);
    return r.rows.map(callupFrom);
  }

  async recordAnswer(callupId: string, memberId: string, u: AnswerUpdate, event: UnitEventInput): Promise<UnitEvent | null> {
    return withTransaction(this.pool, async (c) => {
      // FOR SHARE: answers go on side by side, but an endCallUp (which updates the row) waits for them, and an answer
      // that waited for an endCallUp sees the call-up ended. No answer lands after the end.
      const state = (await c.query('SELECT state FROM callups WHERE id = $1 FOR SHARE', [callupId])).rows[0]?.state;
      if (state !== 'open') return null;
      const changed = (await c.query(`UPDATE callup_recipients SET answer = $3, eta_minutes = $4, reason = $5, answered_at = $6, answered_by = $7, answered_via = $8
        WHERE callup_id = $1 AND member_id = $2`, [callupId, memberId, u.answer, u.etaMinutes, u.reason, u.at, u.by, u.via])).rowCount;
      if (changed !== 1) return null;
      await c.query('INSERT INTO callup_answers (callup_id, member_id, answer, eta_minutes, reason, at, by, via) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)',
        [callupId, memberId, u.answer, u.etaMinutes, u.reason, u.at, u.by, u.via]);
      return (await this.appendEvents(c, [event], u.at))[0];
    });
  }

  async answerLog(callupId: string): Promise<AnswerRecord[]> {
    const r = await this.pool.query('SELECT * FROM callup_answers WHERE callup_id = $1 ORDER BY at, pos', [callupId]);
    return r.rows.map((a) => ({ callupId: a.callup_id, memberId: a.member_id, answer: a.answer, etaMinutes: a.eta_minutes, reason: a.reason, at: a.at, by: a.by, via: a.via }));
  }

  async endCallUp(id: string, state: Exclude<CallUpState, 'open'>, by: string, at: string, reason: string | null, events: UnitEventInput[]): Promise<UnitEvent[] | null> {
    return withTransaction(this.pool, async (c) => {
      // The row lock this takes makes a second endCallUp wait, then find the call-up no longer open.
      const changed = (await c.query("UPDATE callups SET state = $2, ended_at = $3, ended_by = $4, end_reason = $5 WHERE id = $1 AND state = 'open'",
        [id, state, at, by, reason])).rowCount;
      if (changed !== 1) return null;
      return this.appendEvents(c, events, at);
    });
  }

  async setTokenHashes(callupId: string, hashes: Map<string, string>): Promise<void> {
    // Rows in one order (member id) whoever calls: two concurrent replacements wait for each other, never deadlock.
    const entries = [...hashes].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    await withTransaction(this.pool, async (c) => {
      for (const [memberId, hash] of entries) {
        await c.query('UPDATE callup_recipients SET token_hash = $3 WHERE callup_id = $1 AND member_id = $2', [callupId, memberId, hash]);
      }
    });
  }

  async lastEventSeq(): Promise<number> {
    const r = await this.pool.query('SELECT coalesce(max(seq), 0) AS seq FROM unit_events');
    return Number(r.rows[0].seq);
  }

  async eventsAfter(afterSeq: number, filter: { memberIds: string[] | null; callupId: string | null }, limit: number): Promise<UnitEvent[]> {
    const params: unknown[] = [afterSeq, limitOf(limit)];
    const where = ['seq > $1'];
    if (filter.memberIds !== null) where.push(`member_id = ANY($${params.push(filter.memberIds)}::text[])`);
    if (filter.callupId !== null) where.push(`callup_id = $${params.push(filter.callupId)}`);
    const r = await this.pool.query(`SELECT * FROM unit_events WHERE ${where.join(' AND ')} ORDER BY seq LIMIT $2`, params);
    return r.rows.map(eventFrom);
  }

  async addPushSubscription(memberId: string, sub: PushSubscriptionData, at: string): Promise<void> {
    await this.pool.query(`INSERT INTO unit_member_push (endpoint, member_id, p256dh, auth, created_at) VALUES ($1, $2, $3, $4, $5)
      ON CONFLICT (endpoint, member_id) DO UPDATE SET p256dh = excluded.p256dh, auth = excluded.auth`, [sub.endpoint, memberId, sub.keys.p256dh, sub.keys.auth, at]);
  }

  async pushSubscriptions(memberIds: string[]): Promise<Array<PushSubscriptionData & { memberId: string }>> {
    const r = await this.pool.query('SELECT * FROM unit_member_push WHERE member_id = ANY($1::text[]) ORDER BY pos', [memberIds]);
    return r.rows.map((p) => ({ endpoint: p.endpoint, memberId: p.member_id, keys: { p256dh: p.p256dh, auth: p.auth } }));
  }

  async removePushSubscription(endpoint: string): Promise<void> {
    await this.pool.query('DELETE FROM unit_member_push WHERE endpoint = $1', [endpoint]);
  }

  async markPushed(callupId: string, memberId: string, at: string, accepted: number): Promise<void> {
    // pushed = pushed + n under the row lock: concurrent senders add up.
    await this.pool.query('UPDATE callup_recipients SET pushed_at = $3, pushed = pushed + $4 WHERE callup_id = $1 AND member_id = $2', [callupId, memberId, at, accepted]);
  }
}
