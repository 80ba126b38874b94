// Units and their members: created by operators, imported from CSV, and checked for expiring certificates and
// missing roles.
import { randomUUID } from 'node:crypto';
import { UnitError } from './errors.ts';
import { DEFAULT_REQUIRED_ROLES, LIMITS, type Member, type Unit } from './model.ts';
import type { RegionTree, UnitImportOutcome, UnitRepository } from './ports.ts';
import * as v from './validate.ts';

export interface UnitInput {
  id?: unknown; name?: unknown; type?: unknown; region?: unknown; base?: unknown; requiredRoles?: unknown;
}

export interface MemberInput {
  id?: unknown; name?: unknown; role?: unknown; contact?: unknown; user?: unknown; skills?: unknown; certificates?: unknown;
  availability?: unknown; availableFrom?: unknown;
}

export interface ExpiringCertificate {
  unitId: string;
  unitName: string;
  memberId: string;
  memberName: string;
  certificate: string;
  expires: string;
  expired: boolean;
}

export interface MissingRoles {
  unitId: string;
  unitName: string;
  missing: string[];
}

/** Checks whether an account exists (members may name the account they answer with). */
export type UserExists = (name: string) => Promise<boolean>;

export class UnitService {
  constructor(
    private readonly repo: UnitRepository,
    private readonly regions: () => RegionTree,
    private readonly userExists: UserExists,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** Checks a unit without storing it (also used by the CSV import). */
  checkUnit(input: UnitInput, actor: string, existing: Unit | null = null): Unit {
    const at = this.now().toISOString();
    const regionCode = v.text(input.region, 'region', 100);
    if (regionCode !== null && !this.regions().get(regionCode)) throw new UnitError('REGION_NOT_FOUND', `no region with code ${regionCode}`, 'region');
    const required = input.requiredRoles === undefined || input.requiredRoles === null ? [...(existing?.requiredRoles ?? DEFAULT_REQUIRED_ROLES)] : v.roles(input.requiredRoles, 'requiredRoles');
    const id = input.id === undefined || input.id === null || input.id === '' ? (existing?.id ?? randomUUID()) : v.text(input.id, 'id', 100, true);
    return {
      id,
      name: v.text(input.name, 'name', LIMITS.name, true),
      type: v.unitType(input.type),
      regionCode,
      base: v.base(input.base),
      requiredRoles: required,
      createdAt: existing?.createdAt ?? at,
      createdBy: existing?.createdBy ?? actor,
      updatedAt: at,
    };
  }

  async createUnit(input: UnitInput, actor: string): Promise<Unit> {
    const unit = this.checkUnit({ ...input, id: undefined }, actor);
    await this.repo.insertUnit(unit);
    return unit;
  }

  /** Changes a unit: fields not given stay as they are. */
  async updateUnit(id: string, patch: UnitInput, actor: string): Promise<Unit> {
    const u = await this.unit(id);
    const has = (k: keyof UnitInput) => Object.prototype.hasOwnProperty.call(patch, k);
    const next = this.checkUnit({
      id: u.id, name: has('name') ? patch.name : u.name, type: has('type') ? patch.type : u.type, region: has('region') ? patch.region : u.regionCode,
      base: has('base') ? patch.base : u.base, requiredRoles: has('requiredRoles') ? patch.requiredRoles : u.requiredRoles,
    }, actor, u);
    await this.repo.updateUnit(next);
    return next;
  }

  /** Checks a member (the account it names must exist) without storing it. */
  async checkMember(unitId: string, input: MemberInput, existing: Member | null = null): Promise<Member> {
    const at = this.now().toISOString();
    const contact = input.contact ?? {};
    if (typeof contact !== 'object' || contact === null || Array.isArray(contact)) throw new UnitError('INVALID_INPUT', 'contact must be an object with phone and email', 'contact');
    const c = contact as Record<string, unknown>;
    const userName = v.text(input.user, 'user', 100);
    if (userName !== null && !(await this.userExists(userName))) throw new UnitError('USER_NOT_FOUND', `no account named ${userName}`, 'user');
    const availability = v.availability(input.availability);
    const availableFrom = v.date(input.availableFrom, 'availableFrom');
    if (availability === 'on-leave' && !availableFrom) throw new UnitError('INVALID_INPUT', 'availableFrom (the date the leave ends) is required when on leave', 'availableFrom');
    const id = input.id === undefined || input.id === null || input.id === '' ? (existing?.id ?? randomUUID()) : v.text(input.id, 'id', 100, true);
    return {
      id, unitId,
      name: v.text(input.name, 'name', LIMITS.name, true),
      role: v.role(input.role),
      phone: v.phone(c.phone),
      email: v.email(c.email),
      userName,
      skills: v.stringList(input.skills, 'skills', LIMITS.skills),
      certificates: v.certificates(input.certificates),
      availability,
      availableFrom: availability === 'on-leave' ? availableFrom : null,
      createdAt: existing?.createdAt ?? at,
      updatedAt: at,
    };
  }

  async addMember(unitId: string, input: MemberInput): Promise<Member> {
    await this.unit(unitId);
    const member = await this.checkMember(unitId, { ...input, id: undefined });
    await this.repo.insertMember(member);
    return member;
  }

  /** Changes a member: fields not given stay as they are. */
  async updateMember(memberId: string, patch: MemberInput): Promise<Member> {
    const m = await this.repo.getMember(memberId);
    if (!m) throw new UnitError('MEMBER_NOT_FOUND', `no member with id ${memberId}`);
    const has = (k: keyof MemberInput) => Object.prototype.hasOwnProperty.call(patch, k);
    const merged: MemberInput = {
      id: m.id,
      name: has('name') ? patch.name : m.name,
      role: has('role') ? patch.role : m.role,
      contact: has('contact') ? patch.contact : { phone: m.phone, email: m.email },
      user: has('user') ? patch.user : m.userName,
      skills: has('skills') ? patch.skills : m.skills,
      certificates: has('certificates') ? patch.certificates : m.certificates,
      availability: has('availability') ? patch.availability : m.availability,
      availableFrom: has('availableFrom') ? patch.availableFrom : m.availableFrom,
    };
    const next = await this.checkMember(m.unitId, merged, m);
    await this.repo.updateMember(next);
    return next;
  }

  /** Stores checked units and members (from parseUnitsCsv) in one transaction. */
  importParsed(parsed: { units: Unit[]; members: Member[] }): Promise<UnitImportOutcome> {
    return this.repo.importUnits(parsed.units, parsed.members);
  }

  async unit(id: string): Promise<Unit> {
    const u = await this.repo.getUnit(id);
    if (!u) throw new UnitError('UNIT_NOT_FOUND', `no unit with id ${id}`, 'id');
    return u;
  }

  async member(id: string): Promise<Member> {
    const m = await this.repo.getMember(id);
    if (!m) throw new UnitError('MEMBER_NOT_FOUND', `no member with id ${id}`, 'member');
    return m;
  }

  list(): Promise<Unit[]> {
    return this.repo.listUnits();
  }

  members(unitId?: string): Promise<Member[]> {
    return this.repo.listMembers(unitId);
  }

  membersOfUser(userName: string): Promise<Member[]> {
    return this.repo.membersOfUser(userName);
  }

  /** The region and every region below it (parents followed; cycles stop). */
  regionWithDescendants(code: string): Set<string> {
    const tree = this.regions();
    if (!tree.get(code)) throw new UnitError('REGION_NOT_FOUND', `no region with code ${code}`, 'region');
    const children = new Map<string, string[]>();
    for (const r of tree.list()) if (r.parentCode) children.set(r.parentCode, [...(children.get(r.parentCode) ?? []), r.code]);
    const out = new Set<string>([code]);
    const queue = [code];
    while (queue.length) for (const c of children.get(queue.shift()!) ?? []) if (!out.has(c)) { out.add(c); queue.push(c); }
    return out;
  }

  /** Certificates that expired or expire within `days` days, soonest first. */
  async expiringCertificates(days: number): Promise<ExpiringCertificate[]> {
    const today = this.now().toISOString().slice(0, 10);
    const limit = new Date(this.now().getTime() + days * 86_400_000).toISOString().slice(0, 10);
    const units = new Map((await this.repo.listUnits()).map((u) => [u.id, u]));
    const out: ExpiringCertificate[] = [];
    for (const m of await this.repo.listMembers()) {
      for (const c of m.certificates) {
        if (c.expires && c.expires <= limit) {
          out.push({ unitId: m.unitId, unitName: units.get(m.unitId)?.name ?? '', memberId: m.id, memberName: m.name, certificate: c.name, expires: c.expires, expired: c.expires < today });
        }
      }
    }
    return out.sort((a, b) => a.expires.localeCompare(b.expires) || a.memberName.localeCompare(b.memberName));
  }

  /** Units lacking a required role among members who are available now. */
  async missingRoles(): Promise<MissingRoles[]> {
    const members = await this.repo.listMembers();
    const out: MissingRoles[] = [];
    for (const u of await this.repo.listUnits()) {
      const have = new Set(members.filter((m) => m.unitId === u.id && isAvailable(m, this.now())).map((m) => m.role));
      const missing = u.requiredRoles.filter((r) => !have.has(r));
      if (missing.length) out.push({ unitId: u.id, unitName: u.name, missing });
    }
    return out;
  }
}

/** Available now: marked available, or on a leave that has ended. */
export function isAvailable(m: Member, now: Date): boolean {
  if (m.availability === 'available') return true;
  if (m.availability === 'on-leave') return m.availableFrom !== null && m.availableFrom <= now.toISOString().slice(0, 10);
  return false;
}
