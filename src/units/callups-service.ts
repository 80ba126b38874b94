// Call-ups: an operator calls up units (or every unit of a region and its sub-regions); each member answers
// "coming" with an ETA or "unavailable" with a reason, until the deadline; the operator sees the state live.
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { UnitError } from './errors.ts';
import { ANSWERS, LIMITS, type AnswerKind, type AnswerRecord, type CallUp, type Member, type Recipient, type Unit, type UnitEvent, type UnitEventInput } from './model.ts';
import type { CallUpRepository, UnitRepository } from './ports.ts';
import { isAvailable, type UnitService } from './units-service.ts';
import * as v from './validate.ts';

export interface CallUpInput {
  units?: unknown; region?: unknown; message?: unknown; reportTo?: unknown; deadline?: unknown; exercise?: unknown;
}

export interface AnswerInput {
  member?: unknown; answer?: unknown; etaMinutes?: unknown; reason?: unknown;
}

/** Who answers: an operator recording a phone answer, a member signed in, or a personal link's token. */
export type Answerer = { kind: 'operator'; name: string } | { kind: 'account'; name: string } | { kind: 'link'; token: string };

export interface PersonalLink {
  memberId: string;
  name: string;
  unitId: string;
  phone: string | null;
  email: string | null;
  /** The raw token: shown once, never stored (the store keeps its hash). */
  token: string;
}

export interface MemberState {
  id: string;
  name: string;
  role: string;
  hasAccount: boolean;
  answer: AnswerKind | null;
  etaMinutes: number | null;
  reason: string | null;
  answeredAt: string | null;
  answeredBy: string | null;
  answeredVia: Recipient['answeredVia'];
  /** When the member expects to arrive (answer time + ETA), for those coming. */
  arrivesAt: string | null;
}

export interface Counts {
  coming: number;
  unavailable: number;
  pending: number;
}

export interface UnitState {
  id: string;
  name: string;
  type: string;
  regionCode: string | null;
  counts: Counts;
  /** Required roles nobody coming holds. */
  missingRoles: string[];
  /** Members coming who arrive by the deadline (all coming when there is no deadline). */
  expectedStrength: number;
  members: MemberState[];
}

export interface CallUpSummary extends CallUp {
  counts: Counts;
  expectedStrength: number;
  units: UnitState[];
}

export const hashToken = (token: string): string => createHash('sha256').update(token, 'utf8').digest('hex');
/** 256 random bits: cannot be guessed. */
export const newToken = (): string => randomBytes(32).toString('base64url');

export interface CallUpServiceOptions {
  /** Told about every event once it is durable (the live streams and push take it from there). */
  onEvents?: (events: UnitEvent[]) => void;
  /** Told about a new call-up once it is durable (Web Push). */
  onCreated?: (callup: CallUp, recipients: Recipient[], members: Map<string, Member>, units: Map<string, Unit>) => void;
  /** Told about a call-up cancelled or closed, once durable (Web Push). */
  onEnded?: (callup: CallUp, recipients: Recipient[]) => void;
  now?: () => Date;
}

export class CallUpService {
  private readonly now: () => Date;

  constructor(
    private readonly repo: CallUpRepository,
    private readonly unitRepo: UnitRepository,
    private readonly units: UnitService,
    private readonly options: CallUpServiceOptions = {},
  ) {
    this.now = options.now ?? (() => new Date());
  }

  async create(input: CallUpInput, actor: string): Promise<{ callup: CallUp; links: PersonalLink[]; recipients: number }> {
    const message = v.text(input.message, 'message', LIMITS.message, true);
    const reportTo = v.text(input.reportTo, 'reportTo', LIMITS.text);
    const deadline = v.instant(input.deadline, 'deadline');
    const now = this.now();
    if (deadline !== null && Date.parse(deadline) <= now.getTime()) throw new UnitError('INVALID_INPUT', 'deadline must be in the future', 'deadline');
    if (input.exercise !== undefined && typeof input.exercise !== 'boolean') throw new UnitError('INVALID_INPUT', 'exercise must be true or false', 'exercise');
    const hasUnits = input.units !== undefined && input.units !== null;
    const hasRegion = input.region !== undefined && input.region !== null && input.region !== '';
    if (hasUnits === hasRegion) throw new UnitError('INVALID_INPUT', 'give either units (a list of unit ids) or region', hasUnits ? 'region' : 'units');
    let units: Unit[];
    let regionCode: string | null = null;
    if (hasUnits) {
      if (!Array.isArray(input.units) || input.units.length === 0 || input.units.length > 500) throw new UnitError('INVALID_INPUT', 'units must be a list of 1 to 500 unit ids', 'units');
      const ids = [...new Set(input.units.map((u, i) => v.text(u, `units[${i}]`, 100, true)))];
      units = [];
      for (const id of ids) {
        const u = await this.unitRepo.getUnit(id);
        if (!u) throw new UnitError('UNIT_NOT_FOUND', `no unit with id ${id}`, 'units');
        units.push(u);
      }
    } else {
      regionCode = v.text(input.region, 'region', 100, true);
      const codes = this.units.regionWithDescendants(regionCode);
      units = (await this.unitRepo.listUnits()).filter((u) => u.regionCode !== null && codes.has(u.regionCode));
      if (units.length === 0) throw new UnitError('NO_MEMBERS', `no unit has region ${regionCode} or one of its sub-regions as home`, 'region');
    }
    const unitById = new Map(units.map((u) => [u.id, u]));
    const members = (await this.unitRepo.listMembers()).filter((m) => unitById.has(m.unitId) && isAvailable(m, now));
    if (members.length === 0) throw new UnitError('NO_MEMBERS', 'none of these units has a member available now', hasUnits ? 'units' : 'region');
    const callup: CallUp = {
      id: randomUUID(), unitIds: units.map((u) => u.id), regionCode, message, reportTo, deadline, exercise: input.exercise === true,
      state: 'open', createdAt: now.toISOString(), createdBy: actor, endedAt: null, endedBy: null, endReason: null,
    };
    const links: PersonalLink[] = [];
    const recipients: Recipient[] = members.map((m) => {
      let tokenHash: string | null = null;
      if (!m.userName) {
        const token = newToken();
        tokenHash = hashToken(token);
        links.push({ memberId: m.id, name: m.name, unitId: m.unitId, phone: m.phone, email: m.email, token });
      }
      return { callupId: callup.id, memberId: m.id, unitId: m.unitId, tokenHash, answer: null, etaMinutes: null, reason: null, answeredAt: null, answeredBy: null, answeredVia: null };
    });
    const events: UnitEventInput[] = members.map((m) => ({ kind: 'callup', callupId: callup.id, memberId: m.id, data: notice(callup, m, unitById.get(m.unitId)!) }));
    const stored = await this.repo.createCallUp(callup, recipients, events);
    this.options.onEvents?.(stored);
    this.options.onCreated?.(callup, recipients, new Map(members.map((m) => [m.id, m])), unitById);
    return { callup, links, recipients: recipients.length };
  }

  async get(id: string): Promise<CallUp> {
    const c = await this.repo.getCallUp(id);
    if (!c) throw new UnitError('CALLUP_NOT_FOUND', `no call-up with id ${id}`, 'id');
    return c;
  }

  list(limit = 100): Promise<CallUp[]> {
    return this.repo.listCallUps(limit);
  }

  /** Call-ups that reached the members linked to this account, newest first. */
  async forAccount(userName: string): Promise<Array<{ callup: CallUp; members: Array<MemberState & { unitId: string }> }>> {
    const mine = await this.unitRepo.membersOfUser(userName);
    if (mine.length === 0) return [];
    const ids = new Set(mine.map((m) => m.id));
    const out = [];
    for (const c of await this.repo.callUpsOfMembers([...ids], 50)) {
      const rs = (await this.repo.recipients(c.id)).filter((r) => ids.has(r.memberId));
      out.push({ callup: c, members: rs.map((r) => ({ ...memberState(r, mine.find((m) => m.id === r.memberId)!), unitId: r.unitId })) });
    }
    return out;
  }

  /** The call-up with counts per unit, roles still missing and the expected strength at the deadline. */
  async summary(id: string): Promise<CallUpSummary> {
    const c = await this.get(id);
    const recipients = await this.repo.recipients(id);
    const members = new Map<string, Member>();
    for (const m of await this.unitRepo.listMembers()) members.set(m.id, m);
    const total: Counts = { coming: 0, unavailable: 0, pending: 0 };
    let strength = 0;
    const units: UnitState[] = [];
    for (const unitId of c.unitIds) {
      const u = await this.unitRepo.getUnit(unitId);
      const rs = recipients.filter((r) => r.unitId === unitId);
      const states = rs.map((r) => memberState(r, members.get(r.memberId)));
      const counts: Counts = { coming: 0, unavailable: 0, pending: 0 };
      for (const s of states) counts[s.answer ?? 'pending']++;
      const comingRoles = new Set(states.filter((s) => s.answer === 'coming').map((s) => s.role));
      const expected = states.filter((s) => s.answer === 'coming' && (c.deadline === null || (s.arrivesAt !== null && s.arrivesAt <= c.deadline))).length;
      units.push({
        id: unitId, name: u?.name ?? unitId, type: u?.type ?? 'other', regionCode: u?.regionCode ?? null, counts,
        missingRoles: (u?.requiredRoles ?? []).filter((r) => !comingRoles.has(r)), expectedStrength: expected, members: states,
      });
      total.coming += counts.coming;
      total.unavailable += counts.unavailable;
      total.pending += counts.pending;
      strength += expected;
    }
    return { ...c, counts: total, expectedStrength: strength, units };
  }

  /** What a personal link opens: the call-up and the one member it is for (refused when guessed or expired). */
  async byToken(token: string): Promise<{ callup: CallUp; recipient: Recipient; member: Member | null }> {
    const r = typeof token === 'string' && token.length >= 20 && token.length <= 100 ? await this.repo.recipientByTokenHash(hashToken(token)) : null;
    if (!r) throw new UnitError('LINK_INVALID', 'this link is not valid', 'token');
    const callup = await this.get(r.callupId);
    if (callup.state !== 'open' || (callup.deadline !== null && Date.parse(callup.deadline) <= this.now().getTime())) {
      throw new UnitError('LINK_EXPIRED', 'this link has expired: the call-up has ended or its deadline has passed', 'token');
    }
    return { callup, recipient: r, member: await this.unitRepo.getMember(r.memberId) };
  }

  /** Records (or changes) a member's answer until the deadline. */
  async answer(callupId: string, input: AnswerInput, who: Answerer): Promise<{ recipient: Recipient; event: UnitEvent }> {
    let memberId: string | null = input.member === undefined || input.member === null ? null : v.text(input.member, 'member', 100, true);
    let by: string;
    let via: AnswerRecord['via'];
    if (who.kind === 'link') {
      const { recipient } = await this.byToken(who.token).catch((e) => {
        throw e instanceof UnitError && e.code === 'CALLUP_NOT_FOUND' ? new UnitError('LINK_INVALID', 'this link is not valid', 'token') : e;
      });
      if (recipient.callupId !== callupId) throw new UnitError('LINK_INVALID', 'this link is for another call-up', 'token');
      if (memberId !== null && memberId !== recipient.memberId) throw new UnitError('NOT_YOUR_MEMBER', 'this link answers only for the member it was sent to', 'member');
      memberId = recipient.memberId;
      by = `link:${recipient.memberId}`;
      via = 'link';
    } else if (who.kind === 'account') {
      const mine = (await this.unitRepo.membersOfUser(who.name)).map((m) => m.id);
      if (memberId === null) {
        const called = [];
        for (const id of mine) if (await this.repo.recipient(callupId, id)) called.push(id);
        if (called.length !== 1) throw new UnitError('INVALID_INPUT', 'member is required', 'member');
        memberId = called[0];
      }
      if (!mine.includes(memberId)) throw new UnitError('NOT_YOUR_MEMBER', 'you may answer only for yourself', 'member');
      by = who.name;
      via = 'account';
    } else {
      if (memberId === null) throw new UnitError('INVALID_INPUT', 'member is required', 'member');
      by = who.name;
      via = 'operator';
    }
    const answer = input.answer;
    if (typeof answer !== 'string' || !(ANSWERS as readonly string[]).includes(answer)) throw new UnitError('INVALID_INPUT', `answer must be one of ${ANSWERS.join(', ')}`, 'answer');
    let etaMinutes: number | null = null;
    if (input.etaMinutes !== undefined && input.etaMinutes !== null) {
      if (typeof input.etaMinutes !== 'number' || !Number.isInteger(input.etaMinutes) || input.etaMinutes < 0 || input.etaMinutes > LIMITS.etaMinutes) {
        throw new UnitError('INVALID_INPUT', `etaMinutes must be a whole number of minutes from 0 to ${LIMITS.etaMinutes}`, 'etaMinutes');
      }
      etaMinutes = input.etaMinutes;
    }
    const reason = v.text(input.reason, 'reason', LIMITS.reason);
    if (answer === 'coming' && etaMinutes === null) throw new UnitError('INVALID_INPUT', 'etaMinutes is required when coming', 'etaMinutes');
    const callup = await this.get(callupId);
    if (callup.state !== 'open') throw new UnitError('CALLUP_ENDED', `the call-up was ${callup.state}`);
    const now = this.now();
    if (callup.deadline !== null && Date.parse(callup.deadline) <= now.getTime()) throw new UnitError(who.kind === 'link' ? 'LINK_EXPIRED' : 'DEADLINE_PASSED', 'the deadline has passed; answers can no longer be changed');
    const current = await this.repo.recipient(callupId, memberId);
    if (!current) throw new UnitError('NOT_CALLED_UP', `member ${memberId} was not called up by this call-up`, 'member');
    const at = now.toISOString();
    const update = { answer: answer as AnswerKind, etaMinutes: answer === 'coming' ? etaMinutes : null, reason, at, by, via };
    const event = await this.repo.recordAnswer(callupId, memberId, update, {
      kind: 'answer', callupId, memberId, data: { callupId, memberId, unitId: current.unitId, answer, etaMinutes: update.etaMinutes, reason, at, by, via, exercise: callup.exercise },
    });
    if (!event) throw new UnitError('CALLUP_ENDED', 'the call-up has ended');
    this.options.onEvents?.([event]);
    return { recipient: { ...current, answer: update.answer, etaMinutes: update.etaMinutes, reason, answeredAt: at, answeredBy: by, answeredVia: via }, event };
  }

  /** Cancels (called off) or closes (done) a call-up; every member is told. */
  async end(id: string, state: 'cancelled' | 'closed', actor: string, reasonInput: unknown): Promise<CallUp> {
    const reason = v.text(reasonInput, 'reason', LIMITS.reason);
    const c = await this.get(id);
    if (c.state !== 'open') throw new UnitError('CALLUP_ENDED', `the call-up was already ${c.state}`);
    const at = this.now().toISOString();
    const recipients = await this.repo.recipients(id);
    const events: UnitEventInput[] = recipients.map((r) => ({
      kind: 'callup-ended', callupId: id, memberId: r.memberId, data: { callupId: id, memberId: r.memberId, state, reason, at, by: actor, exercise: c.exercise },
    }));
    const stored = await this.repo.endCallUp(id, state, actor, at, reason, events);
    if (!stored) throw new UnitError('CALLUP_ENDED', 'the call-up has already ended');
    this.options.onEvents?.(stored);
    const ended = await this.get(id);
    this.options.onEnded?.(ended, recipients);
    return ended;
  }

  /** New personal links for members of an open call-up (all without an account, or those named); old ones stop working. */
  async newLinks(id: string, memberIds: unknown): Promise<PersonalLink[]> {
    const c = await this.get(id);
    if (c.state !== 'open') throw new UnitError('CALLUP_ENDED', `the call-up was ${c.state}`);
    const recipients = await this.repo.recipients(id);
    let chosen: Recipient[];
    if (memberIds === undefined || memberIds === null) {
      chosen = [];
      for (const r of recipients) if (!(await this.unitRepo.getMember(r.memberId))?.userName) chosen.push(r);
    } else {
      if (!Array.isArray(memberIds)) throw new UnitError('INVALID_INPUT', 'members must be a list of member ids', 'members');
      chosen = memberIds.map((m, i) => {
        const r = recipients.find((x) => x.memberId === m);
        if (!r) throw new UnitError('NOT_CALLED_UP', `member ${String(m)} was not called up by this call-up`, `members[${i}]`);
        return r;
      });
    }
    const links: PersonalLink[] = [];
    const hashes = new Map<string, string>();
    for (const r of chosen) {
      const m = await this.unitRepo.getMember(r.memberId);
      const token = newToken();
      hashes.set(r.memberId, hashToken(token));
      links.push({ memberId: r.memberId, name: m?.name ?? r.memberId, unitId: r.unitId, phone: m?.phone ?? null, email: m?.email ?? null, token });
    }
    await this.repo.setTokenHashes(id, hashes);
    return links;
  }

  answerLog(id: string): Promise<AnswerRecord[]> {
    return this.repo.answerLog(id);
  }

  eventsAfter(afterSeq: number, filter: { memberIds: string[] | null; callupId: string | null }, limit = 1000): Promise<UnitEvent[]> {
    return this.repo.eventsAfter(afterSeq, filter, limit);
  }
}

function notice(c: CallUp, m: Member, u: Unit): Record<string, unknown> {
  return {
    callupId: c.id, memberId: m.id, memberName: m.name, unitId: u.id, unitName: u.name, message: c.message, reportTo: c.reportTo,
    deadline: c.deadline, exercise: c.exercise, createdAt: c.createdAt, createdBy: c.createdBy,
  };
}

function memberState(r: Recipient, m: Member | undefined): MemberState {
  return {
    id: r.memberId, name: m?.name ?? r.memberId, role: m?.role ?? 'member', hasAccount: Boolean(m?.userName),
    answer: r.answer, etaMinutes: r.etaMinutes, reason: r.reason, answeredAt: r.answeredAt, answeredBy: r.answeredBy, answeredVia: r.answeredVia,
    arrivesAt: r.answer === 'coming' && r.answeredAt && r.etaMinutes !== null ? new Date(Date.parse(r.answeredAt) + r.etaMinutes * 60_000).toISOString() : null,
  };
}

/** The text to paste into an SMS or e-mail for a personal link. */
export function linkMessage(c: CallUp, link: PersonalLink, url: string): string {
  const head = c.exercise ? '[EXERCISE] ' : '';
  const deadline = c.deadline ? ` Answer by ${c.deadline.slice(0, 16).replace('T', ' ')} UTC.` : '';
  const report = c.reportTo ? ` Report to: ${c.reportTo}.` : '';
  return `${head}Call-up for ${link.name}: ${c.message}${report}${deadline} Answer here: ${url}`;
}
