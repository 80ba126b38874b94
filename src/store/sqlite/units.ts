// SQLite implementation of the units capability's ports: units and members, call-ups with recipients, answers and
// the durable event log. Each method is one statement or one transaction.
import type { Db } from './db.ts';
import type {
  AnswerRecord, CallUp, CallUpState, Member, Recipient, Unit, UnitEvent, UnitEventInput,
} from '../../units/model.ts';
import type { AnswerUpdate, CallUpRepository, PushSubscriptionData, UnitImportOutcome, UnitRepository } from '../../units/ports.ts';

interface UnitRow { id: string; name: string; type: string; region_code: string | null; base: string | null; required_roles: string; created_at: string; created_by: string; updated_at: string }
interface MemberRow {
  id: string; unit_id: string; name: string; role: string; phone: string | null; email: string | null; user_name: string | null; skills: string;
  certificates: string; availability: string; available_from: string | null; created_at: string; updated_at: string;
}
interface CallUpRow {
  id: string; unit_ids: string; region_code: string | null; message: string; report_to: string | null; deadline: string | null; exercise: number;
  state: string; created_at: string; created_by: string; ended_at: string | null; ended_by: string | null; end_reason: string | null;
}
interface RecipientRow {
  callup_id: string; member_id: string; unit_id: string; token_hash: string | null; answer: string | null; eta_minutes: number | null; reason: string | null;
  answered_at: string | null; answered_by: string | null; answered_via: string | null;
}
interface EventRow { seq: number; kind: string; callup_id: string; member_id: string | null; data: string; at: string }

const unitFrom = (r: UnitRow): Unit => ({
  id: r.id, name: r.name, type: r.type as Unit['type'], regionCode: r.region_code, base: r.base ? JSON.parse(r.base) : null,
  requiredRoles: JSON.parse(r.required_roles), createdAt: r.created_at, createdBy: r.created_by, updatedAt: r.updated_at,
});
const memberFrom = (r: MemberRow): Member => ({
  id: r.id, unitId: r.unit_id, name: r.name, role: r.role, phone: r.phone, email: r.email, userName: r.user_name, skills: JSON.parse(r.skills),
  certificates: JSON.parse(r.certificates), availability: r.availability as Member['availability'], availableFrom: r.available_from,
  createdAt: r.created_at, updatedAt: r.updated_at,
});
const callupFrom = (r: CallUpRow): CallUp => ({
  id: r.id, unitIds: JSON.parse(r.unit_ids), regionCode: r.region_code, message: r.message, reportTo: r.report_to, deadline: r.deadline,
  exercise: r.exercise === 1, state: r.state as CallUpState, createdAt: r.created_at, createdBy: r.created_by, endedAt: r.ended_at,
  endedBy: r.ended_by, endReason: r.end_reason,
});
const recipientFrom = (r: RecipientRow): Recipient => ({
  callupId: r.callup_id, memberId: r.member_id, unitId: r.unit_id, tokenHash: r.token_hash, answer: r.answer as Recipient['answer'],
  etaMinutes: r.eta_minutes, reason: r.reason, answeredAt: r.answered_at, answeredBy: r.answered_by, answeredVia: r.answered_via as Recipient['answeredVia'],
});
const eventFrom = (r: EventRow): UnitEvent => ({ seq: r.seq, kind: r.kind as UnitEvent['kind'], callupId: r.callup_id, memberId: r.member_id, data: JSON.parse(r.data), at: r.at });

const unitParams = (u: Unit) => ({
  id: u.id, name: u.name, type: u.type, region_code: u.regionCode, base: u.base ? JSON.stringify(u.base) : null,
  required_roles: JSON.stringify(u.requiredRoles), created_at: u.createdAt, created_by: u.createdBy, updated_at: u.updatedAt,
});
const memberParams = (m: Member) => ({
  id: m.id, unit_id: m.unitId, name: m.name, role: m.role, phone: m.phone, email: m.email, user_name: m.userName, skills: JSON.stringify(m.skills),
  certificates: JSON.stringify(m.certificates), availability: m.availability, available_from: m.availableFrom, created_at: m.createdAt, updated_at: m.updatedAt,
});

const INSERT_UNIT = `INSERT INTO units (id, name, type, region_code, base, required_roles, created_at, created_by, updated_at)
  VALUES (@id, @name, @type, @region_code, @base, @required_roles, @created_at, @created_by, @updated_at)`;
const UPDATE_UNIT = `UPDATE units SET name = @name, type = @type, region_code = @region_code, base = @base, required_roles = @required_roles, updated_at = @updated_at WHERE id = @id`;
const INSERT_MEMBER = `INSERT INTO unit_members (id, unit_id, name, role, phone, email, user_name, skills, certificates, availability, available_from, created_at, updated_at)
  VALUES (@id, @unit_id, @name, @role, @phone, @email, @user_name, @skills, @certificates, @availability, @available_from, @created_at, @updated_at)`;
const UPDATE_MEMBER = `UPDATE unit_members SET unit_id = @unit_id, name = @name, role = @role, phone = @phone, email = @email, user_name = @user_name, skills = @skills,
  certificates = @certificates, availability = @availability, available_from = @available_from, updated_at = @updated_at WHERE id = @id`;

export class SqliteUnitRepository implements UnitRepository {
  constructor(private readonly db: Db) {}

  async insertUnit(unit: Unit): Promise<void> {
    this.db.prepare(INSERT_UNIT).run(unitParams(unit));
  }

  async updateUnit(unit: Unit): Promise<boolean> {
    return this.db.prepare(UPDATE_UNIT).run(unitParams(unit)).changes === 1;
  }

  async getUnit(id: string): Promise<Unit | null> {
    const r = this.db.prepare('SELECT * FROM units WHERE id = ?').get(id) as UnitRow | undefined;
    return r ? unitFrom(r) : null;
  }

  async listUnits(): Promise<Unit[]> {
    return (this.db.prepare('SELECT * FROM units ORDER BY name, rowid').all() as UnitRow[]).map(unitFrom);
  }

  async insertMember(member: Member): Promise<void> {
    this.db.prepare(INSERT_MEMBER).run(memberParams(member));
  }

  async updateMember(member: Member): Promise<boolean> {
    return this.db.prepare(UPDATE_MEMBER).run(memberParams(member)).changes === 1;
  }

  async getMember(id: string): Promise<Member | null> {
    const r = this.db.prepare('SELECT * FROM unit_members WHERE id = ?').get(id) as MemberRow | undefined;
    return r ? memberFrom(r) : null;
  }

  async listMembers(unitId?: string): Promise<Member[]> {
    const rows = unitId === undefined
      ? this.db.prepare('SELECT * FROM unit_members ORDER BY rowid').all()
      : this.db.prepare('SELECT * FROM unit_members WHERE unit_id = ? ORDER BY rowid').all(unitId);
    return (rows as MemberRow[]).map(memberFrom);
  }

  async membersOfUser(userName: string): Promise<Member[]> {
    return (this.db.prepare('SELECT * FROM unit_members WHERE user_name = ? ORDER BY rowid').all(userName) as MemberRow[]).map(memberFrom);
  }

  async importUnits(units: Unit[], members: Member[]): Promise<UnitImportOutcome> {
    const out: UnitImportOutcome = { unitsInserted: 0, unitsUpdated: 0, membersInserted: 0, membersUpdated: 0 };
    const exists = (table: string, id: string) => this.db.prepare(`SELECT 1 FROM ${table} WHERE id = ?`).get(id) !== undefined;
    this.db.transaction(() => {
      for (const u of units) {
        if (exists('units', u.id)) { this.db.prepare(UPDATE_UNIT).run(unitParams(u)); out.unitsUpdated++; }
        else { this.db.prepare(INSERT_UNIT).run(unitParams(u)); out.unitsInserted++; }
      }
      for (const m of members) {
        if (exists('unit_members', m.id)) { this.db.prepare(UPDATE_MEMBER).run(memberParams(m)); out.membersUpdated++; }
        else { this.db.prepare(INSERT_MEMBER).run(memberParams(m)); out.membersInserted++; }
      }
    }).immediate(); // reads before it writes: take the write lock first, or another process's write makes it fail at once
    return out;
  }
}

export class SqliteCallUpRepository implements CallUpRepository {
  constructor(private readonly db: Db) {}

  private appendEvents(events: UnitEventInput[], at: string): UnitEvent[] {
    const insert = this.db.prepare('INSERT INTO unit_events (kind, callup_id, member_id, data, at) VALUES (?, ?, ?, ?, ?)');
    return events.map((e) => ({ ...e, seq: Number(insert.run(e.kind, e.callupId, e.memberId, JSON.stringify(e.data), at).lastInsertRowid), at }));
  }

  async createCallUp(c: CallUp, recipients: Recipient[], events: UnitEventInput[]): Promise<UnitEvent[]> {
    return this.db.transaction(() => {
      this.db.prepare(`INSERT INTO callups (id, unit_ids, region_code, message, report_to, deadline, exercise, state, created_at, created_by, ended_at, ended_by, end_reason)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`).run(c.id, JSON.stringify(c.unitIds), c.regionCode, c.message, c.reportTo, c.deadline, c.exercise ? 1 : 0, c.state,
        c.createdAt, c.createdBy, c.endedAt, c.endedBy, c.endReason);
      const insert = this.db.prepare(`INSERT INTO callup_recipients (callup_id, member_id, unit_id, token_hash, answer, eta_minutes, reason, answered_at, answered_by, answered_via)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
      for (const r of recipients) insert.run(r.callupId, r.memberId, r.unitId, r.tokenHash, r.answer, r.etaMinutes, r.reason, r.answeredAt, r.answeredBy, r.answeredVia);
      return this.appendEvents(events, c.createdAt);
    })();
  }

  async getCallUp(id: string): Promise<CallUp | null> {
    const r = this.db.prepare('SELECT * FROM callups WHERE id = ?').get(id) as CallUpRow | undefined;
    return r ? callupFrom(r) : null;
  }

  async listCallUps(limit: number): Promise<CallUp[]> {
    return (this.db.prepare('SELECT * FROM callups ORDER BY created_at DESC, rowid DESC LIMIT ?').all(limit) as CallUpRow[]).map(callupFrom);
  }

  async recipients(callupId: string): Promise<Recipient[]> {
    return (this.db.prepare('SELECT * FROM callup_recipients WHERE callup_id = ? ORDER BY rowid').all(callupId) as RecipientRow[]).map(recipientFrom);
  }

  async recipient(callupId: string, memberId: string): Promise<Recipient | null> {
    const r = this.db.prepare('SELECT * FROM callup_recipients WHERE callup_id = ? AND member_id = ?').get(callupId, memberId) as RecipientRow | undefined;
    return r ? recipientFrom(r) : null;
  }

  async recipientByTokenHash(tokenHash: string): Promise<Recipient | null> {
    const r = this.db.prepare('SELECT * FROM callup_recipients WHERE token_hash = ?').get(tokenHash) as RecipientRow | undefined;
    return r ? recipientFrom(r) : null;
  }

  async callUpsOfMembers(memberIds: string[], limit: number): Promise<CallUp[]> {
    if (memberIds.length === 0) return [];
    const rows = this.db.prepare(`SELECT c.* FROM callups c WHERE c.id IN (SELECT callup_id FROM callup_recipients WHERE member_id IN (SELECT value FROM json_each(?)))
      ORDER BY c.created_at DESC, c.rowid DESC LIMIT ?`).all(JSON.stringify(memberIds), limit) as CallUpRow[];
    return rows.map(callupFrom);
  }

  async recordAnswer(callupId: string, memberId: string, u: AnswerUpdate, event: UnitEventInput): Promise<UnitEvent | null> {
    return this.db.transaction(() => {
      const changed = this.db.prepare(`UPDATE callup_recipients SET answer = ?, eta_minutes = ?, reason = ?, answered_at = ?, answered_by = ?, answered_via = ?
        WHERE callup_id = ? AND member_id = ? AND EXISTS (SELECT 1 FROM callups WHERE id = ? AND state = 'open')`)
        .run(u.answer, u.etaMinutes, u.reason, u.at, u.by, u.via, callupId, memberId, callupId).changes;
      if (changed !== 1) return null;
      this.db.prepare('INSERT INTO callup_answers (callup_id, member_id, answer, eta_minutes, reason, at, by, via) VALUES (?, ?, ?, ?, ?, ?, ?, ?)')
        .run(callupId, memberId, u.answer, u.etaMinutes, u.reason, u.at, u.by, u.via);
      return this.appendEvents([event], u.at)[0];
    })();
  }

  async answerLog(callupId: string): Promise<AnswerRecord[]> {
    const rows = this.db.prepare('SELECT * FROM callup_answers WHERE callup_id = ? ORDER BY at, rowid').all(callupId) as Array<{
      callup_id: string; member_id: string; answer: string; eta_minutes: number | null; reason: string | null; at: string; by: string; via: string;
    }>;
    return rows.map((r) => ({ callupId: r.callup_id, memberId: r.member_id, answer: r.answer as AnswerRecord['answer'], etaMinutes: r.eta_minutes, reason: r.reason, at: r.at, by: r.by, via: r.via as AnswerRecord['via'] }));
  }

  async endCallUp(id: string, state: Exclude<CallUpState, 'open'>, by: string, at: string, reason: string | null, events: UnitEventInput[]): Promise<UnitEvent[] | null> {
    return this.db.transaction(() => {
      const changed = this.db.prepare("UPDATE callups SET state = ?, ended_at = ?, ended_by = ?, end_reason = ? WHERE id = ? AND state = 'open'").run(state, at, by, reason, id).changes;
      if (changed !== 1) return null;
      return this.appendEvents(events, at);
    })();
  }

  async setTokenHashes(callupId: string, hashes: Map<string, string>): Promise<void> {
    const update = this.db.prepare('UPDATE callup_recipients SET token_hash = ? WHERE callup_id = ? AND member_id = ?');
    this.db.transaction(() => {
      for (const [memberId, hash] of hashes) update.run(hash, callupId, memberId);
    })();
  }

  async eventsAfter(afterSeq: number, filter: { memberIds: string[] | null; callupId: string | null }, limit: number): Promise<UnitEvent[]> {
    const where = ['seq > @after'];
    if (filter.memberIds !== null) where.push('member_id IN (SELECT value FROM json_each(@members))');
    if (filter.callupId !== null) where.push('callup_id = @callup');
    const rows = this.db.prepare(`SELECT * FROM unit_events WHERE ${where.join(' AND ')} ORDER BY seq LIMIT @limit`)
      .all({ after: afterSeq, members: JSON.stringify(filter.memberIds ?? []), callup: filter.callupId, limit }) as EventRow[];
    return rows.map(eventFrom);
  }

  async lastEventSeq(): Promise<number> {
    const row = this.db.prepare('SELECT coalesce(max(seq), 0) AS seq FROM unit_events').get() as { seq: number };
    return Number(row.seq);
  }

  async addPushSubscription(memberId: string, sub: PushSubscriptionData, at: string): Promise<void> {
    this.db.prepare(`INSERT INTO unit_member_push (endpoint, member_id, p256dh, auth, created_at) VALUES (?, ?, ?, ?, ?)
      ON CONFLICT (endpoint, member_id) DO UPDATE SET p256dh = excluded.p256dh, auth = excluded.auth`).run(sub.endpoint, memberId, sub.keys.p256dh, sub.keys.auth, at);
  }

  async pushSubscriptions(memberIds: string[]): Promise<Array<PushSubscriptionData & { memberId: string }>> {
    const rows = this.db.prepare('SELECT * FROM unit_member_push WHERE member_id IN (SELECT value FROM json_each(?)) ORDER BY rowid')
      .all(JSON.stringify(memberIds)) as Array<{ endpoint: string; member_id: string; p256dh: string; auth: string }>;
    return rows.map((r) => ({ endpoint: r.endpoint, memberId: r.member_id, keys: { p256dh: r.p256dh, auth: r.auth } }));
  }

  async removePushSubscription(endpoint: string): Promise<void> {
    this.db.prepare('DELETE FROM unit_member_push WHERE endpoint = ?').run(endpoint);
  }

  async markPushed(callupId: string, memberId: string, at: string, accepted: number): Promise<void> {
    this.db.prepare('UPDATE callup_recipients SET pushed_at = ?, pushed = pushed + ? WHERE callup_id = ? AND member_id = ?').run(at, accepted, callupId, memberId);
  }
}
