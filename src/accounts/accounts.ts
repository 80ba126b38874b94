// Users, passwords, sessions and API tokens. No default credentials: every account is created on purpose.
//
// The two-person rule for alerts counts accounts, so no single account may be able to bring a second alert-capable
// account under its control (issue 9). Over HTTP (`via: 'http'`):
//  - a token acts only for the account that created it (nobody mints tokens for someone else);
//  - an account an admin creates with, or re-roles to, an alert role, or whose password an admin resets, is pending
//    until a second admin (none of those who made it pending) activates it; a pending account cannot sign in and its
//    tokens do not work;
//  - a password an admin chose for someone else must be replaced by the owner at their next sign-in, and a second
//    admin cannot activate the account before that has happened.
// Shell access to the server (`via: 'cli'`) and in-process code (`via: 'local'`: tests, the demo) are outside the
// guarantee: whoever has them owns the database anyway. Every change is written to the account event log.
import type { AccountEventInput, AccountRepository, PendingReason, StoredUser, TokenInfo, User, Via } from './ports.ts';
import { UnknownRegionCodes, UserNameTaken } from './ports.ts';
import { normalizeJurisdiction } from './jurisdiction.ts';
import { ALERT_ROLES, isRole, type Role } from './roles.ts';
import { hashPassword, passwordProblem, verifyPassword } from './passwords.ts';
import { hashSecret, newSecret, newTokenId } from './tokens.ts';

export type AccountErrorCode =
  | 'INVALID_USER' | 'USER_EXISTS' | 'USER_NOT_FOUND' | 'INVALID_PASSWORD' | 'WRONG_PASSWORD' | 'TOKEN_FOR_OTHER_USER'
  | 'TOKEN_NOT_FOUND' | 'INVALID_EXPIRY' | 'NOT_ADMIN' | 'NOT_ON_YOURSELF' | 'SECOND_ADMIN_REQUIRED' | 'NOT_PENDING'
  | 'OWNER_PASSWORD_NOT_SET' | 'ACCOUNT_INACTIVE' | 'ACCOUNT_CHANGED' | 'FRESH_SIGN_IN_REQUIRED';

/** The HTTP status each code stands for (the server maps them; the domain knows no HTTP). */
const STATUS: Record<AccountErrorCode, number> = {
  INVALID_USER: 400, INVALID_PASSWORD: 400, INVALID_EXPIRY: 400, USER_EXISTS: 409, USER_NOT_FOUND: 404, TOKEN_NOT_FOUND: 404,
  WRONG_PASSWORD: 403, TOKEN_FOR_OTHER_USER: 403, NOT_ADMIN: 403, NOT_ON_YOURSELF: 403, SECOND_ADMIN_REQUIRED: 403,
  ACCOUNT_INACTIVE: 403, NOT_PENDING: 409, OWNER_PASSWORD_NOT_SET: 409, ACCOUNT_CHANGED: 409, FRESH_SIGN_IN_REQUIRED: 403,
};

export class AccountError extends Error {
  readonly status: number;
  constructor(readonly code: AccountErrorCode, message: string, readonly field?: string) {
    super(message);
    this.name = 'AccountError';
    this.status = STATUS[code];
  }
}

export interface AccountPolicy {
  /** The longest a session lives, however much it is used. */
  sessionHours: number;
  /** A session not used for this long ends (a console left open on an unattended desk). */
  sessionIdleMinutes: number;
  /** Approving an Actual alert, issuing a call-up or raising a regime to emergency needs a sign-in this recent. */
  freshSignInMinutes: number;
  /** Lifetime of a new API token when none is asked for. */
  tokenDefaultDays: number;
  /** The longest lifetime a token may be given. */
  tokenMaxDays: number;
}
export const DEFAULT_POLICY: AccountPolicy = { sessionHours: 12, sessionIdleMinutes: 30, freshSignInMinutes: 5, tokenDefaultDays: 90, tokenMaxDays: 365 };

/** How a request proved who it is: a session says when its sign-in was; a token is a standing credential. */
export type Credential = { kind: 'session'; signedInAt: string } | { kind: 'token' } | { kind: 'local' };

/** Who is acting. Over HTTP, `name` and `role` are the signed-in account's. */
export interface Acting {
  name: string | null;
  via: Via;
  role?: Role;
}

const LOCAL: Acting = { name: null, via: 'local' };
/** A token's last use is written at most this often (a write per request would cost a disk sync each). */
const TOUCH_EVERY_MS = 60_000;

export type SignInResult =
  | { kind: 'ok'; user: User; passwordChanged: boolean }
  | { kind: 'bad' }
  | { kind: 'must-change' }
  | { kind: 'invalid-new'; message: string }
  | { kind: 'pending'; user: User; passwordChanged: boolean };

export type TokenCheck = { user: User; token: TokenInfo } | { reason: 'unknown' | 'revoked' | 'expired' | 'inactive' };

const strip = (u: StoredUser): User => {
  const { passwordHash: _drop, ...user } = u;
  return user;
};

export class Accounts {
  readonly policy: AccountPolicy;

  constructor(private readonly repo: AccountRepository, private readonly now: () => Date = () => new Date(), policy: Partial<AccountPolicy> = {}) {
    this.policy = { ...DEFAULT_POLICY, ...policy };
  }

  /** Changes the policy in place (the server applies its configuration at start). */
  configure(policy: Partial<AccountPolicy>): void {
    const next = { ...this.policy, ...policy };
    for (const [k, v] of Object.entries(next)) if (!Number.isFinite(v) || v <= 0) throw new Error(`account policy ${k} must be a positive number`);
    if (next.tokenDefaultDays > next.tokenMaxDays) throw new Error('tokenDefaultDays must not exceed tokenMaxDays');
    Object.assign(this.policy, next);
  }

  private at(): string {
    return this.now().toISOString();
  }

  private event(by: Acting, action: string, subject: string | null, detail: Record<string, unknown> = {}): AccountEventInput {
    return { at: this.at(), actor: by.name, via: by.via, action, subject, detail };
  }

  private async target(name: string): Promise<StoredUser> {
    const u = await this.repo.findUser(name);
    if (!u) throw new AccountError('USER_NOT_FOUND', `no user named ${name}`, 'name');
    return u;
  }

  /** Over HTTP only an active admin may administer accounts (routes check the role; this checks again). */
  private requireAdmin(by: Acting): void {
    if (by.via === 'http' && by.role !== 'admin') throw new AccountError('NOT_ADMIN', 'only an admin may do this', 'role');
  }

  private static checkName(name: string): void {
    if (!/^[\p{L}\p{N}._@-]{2,64}$/u.test(name)) throw new AccountError('INVALID_USER', 'name must be 2-64 letters, digits or . _ @ -', 'name');
  }

  private static checkPassword(password: string, field = 'password'): void {
    const problem = passwordProblem(password);
    if (problem) throw new AccountError('INVALID_PASSWORD', `${field} ${problem}`, field);
  }

  /** The pending state after `by` made it pending for `reason` (joining an episode already under way). */
  private pendingAfter(u: StoredUser | null, by: Acting, reason: PendingReason): { since: string; reason: PendingReason; by: string[] } {
    const who = by.name ?? '';
    const before = u?.pendingSince ? u.pendingBy : [];
    return { since: u?.pendingSince ?? this.at(), reason, by: before.includes(who) ? before : [...before, who] };
  }

  /**
   * Creates an account. In-process and CLI callers (`refuge admin create-user`, tests, the demo) get an active
   * account at once. Over HTTP an admin chose the password, so the owner must replace it at first sign-in, and an
   * account with an alert role waits for a second admin.
   */
  async createUser(name: string, role: string, password: string, by: Acting = LOCAL, opts: { jurisdiction?: unknown } = {}): Promise<User> {
    this.requireAdmin(by);
    Accounts.checkName(name);
    if (!isRole(role)) throw new AccountError('INVALID_USER', 'role must be one of admin, operator, approver, warden', 'role');
    const problem = passwordProblem(password);
    if (problem) throw new AccountError('INVALID_USER', `password ${problem}`, 'password');
    const jurisdiction = Accounts.jurisdictionOf(opts.jurisdiction ?? []);
    if (await this.repo.findUser(name)) throw new AccountError('USER_EXISTS', `a user named ${name} already exists`, 'name');
    const http = by.via === 'http';
    const pending = http && ALERT_ROLES.includes(role) ? this.pendingAfter(null, by, 'created') : null;
    try {
      return await this.repo.createUser(
        { name, role, passwordHash: await hashPassword(password), createdAt: this.at(), createdBy: by.name, pending, mustChangePassword: http, jurisdiction },
        this.event(by, 'user.created', name, { role, pending: pending !== null, ...(jurisdiction.length ? { jurisdiction } : {}) }),
      );
    } catch (err) {
      // Taken between the check above and the insert (another request or process): the same answer as the check's.
      if (err instanceof UserNameTaken) throw new AccountError('USER_EXISTS', `a user named ${name} already exists`, 'name');
      throw Accounts.regionProblem(err);
    }
  }

  /** The jurisdiction as stored (sorted, unique), or an INVALID_USER naming the field. */
  private static jurisdictionOf(given: unknown): string[] {
    const out = normalizeJurisdiction(given);
    if (typeof out === 'string') throw new AccountError('INVALID_USER', `jurisdiction: ${out}`, 'jurisdiction');
    return out;
  }

  /** A region the store does not have: the caller named it, so a 400 on the field, not a failure. */
  private static regionProblem(err: unknown): unknown {
    if (err instanceof UnknownRegionCodes) {
      return new AccountError('INVALID_USER', `jurisdiction: ${err.message} (import the regions first, or pick codes from GET /api/regions)`, 'jurisdiction');
    }
    return err;
  }

  /**
   * Gives an account its jurisdiction (an empty list takes it away): the regions its console opens on. Only an
   * admin; over HTTP also on their own account, since a jurisdiction grants nothing (it narrows what is shown first).
   */
  async setJurisdiction(by: Acting, name: string, codes: unknown): Promise<User> {
    this.requireAdmin(by);
    const given = Accounts.jurisdictionOf(codes);
    const u = await this.target(name);
    // Codes the account holds that a region re-import removed are dropped, said in the event: saving an account
    // as it was shown must not fail on them. A new unknown code is still refused (a typo), by the store below.
    const goneHeld = new Set((u.jurisdictionGone ?? []).filter((c) => u.jurisdiction.includes(c)));
    const dropped = given.filter((c) => goneHeld.has(c));
    const jurisdiction = given.filter((c) => !goneHeld.has(c));
    if (dropped.length && jurisdiction.length === 0) {
      // Never widened by accident: dropping the last codes would lift every limit. Lifting it is an empty list, sent
      // on purpose.
      throw new AccountError('INVALID_USER', `jurisdiction: ${dropped.join(', ')} ${dropped.length === 1 ? 'is' : 'are'} no longer ${dropped.length === 1 ? 'a region' : 'regions'} ` +
        `(removed by a region import) and no other region is given; ${name} keeps its jurisdiction and drafts no alert until you choose regions that exist ` +
        '(an empty list lifts the limit)', 'jurisdiction');
    }
    if (u.jurisdiction.join('\u0000') === jurisdiction.join('\u0000')) return strip(u);
    try {
      await this.repo.updateUser(u.id, { jurisdiction }, this.event(by, 'user.jurisdiction-changed', name, { from: u.jurisdiction, to: jurisdiction, ...(dropped.length ? { dropped } : {}) }), false);
    } catch (err) {
      throw Accounts.regionProblem(err);
    }
    return this.getUser(name);
  }

  listUsers(): Promise<User[]> {
    return this.repo.listUsers();
  }

  async getUser(name: string): Promise<User> {
    return strip(await this.target(name));
  }

  /** Checks a password; the same answer (null) whether the name or the password is wrong. Only active accounts pass. */
  async authenticate(name: string, password: string): Promise<User | null> {
    const found = await this.verified(name, password);
    return found && found.status === 'active' && !found.mustChangePassword ? strip(found) : null;
  }

  private async verified(name: string, password: string): Promise<StoredUser | null> {
    const found = await this.repo.findUser(name);
    if (!found || found.disabledAt) {
      await hashPassword(password); // spend the same time, so timing does not reveal which names exist
      return null;
    }
    return (await verifyPassword(password, found.passwordHash)) ? found : null;
  }

  /**
   * Sign-in as the console does it. A password someone else chose must be replaced (`newPassword`) first; a pending
   * account learns that it waits for a second admin (which tells its owner the password they chose is the one that
   * counts) but gets no session.
   */
  async signIn(name: string, password: string, newPassword?: string, detail: Record<string, unknown> = {}): Promise<SignInResult> {
    let found = await this.verified(name, password);
    if (!found) return { kind: 'bad' };
    let passwordChanged = false;
    if (found.mustChangePassword && newPassword === undefined) return { kind: 'must-change' };
    if (newPassword !== undefined) {
      const problem = passwordProblem(newPassword) ?? (newPassword === password ? 'must differ from the current one' : null);
      if (problem) return { kind: 'invalid-new', message: `newPassword ${problem}` };
      const at = this.at();
      await this.repo.updateUser(found.id, { passwordHash: await hashPassword(newPassword), passwordChangedAt: at, mustChangePassword: false },
        this.event({ name, via: 'http' }, 'password.changed', name, { atSignIn: true, ...detail }), {});
      found = (await this.repo.findUser(name))!;
      passwordChanged = true;
    }
    if (found.status === 'pending') return { kind: 'pending', user: strip(found), passwordChanged };
    return { kind: 'ok', user: strip(found), passwordChanged };
  }

  /** A new session: `expiresAt` unless used (the idle timeout), `endsBy` however much it is used. */
  async startSession(user: User): Promise<{ token: string; expiresAt: string; endsBy: string }> {
    const token = newSecret('rs');
    const now = this.now().getTime();
    const endsBy = now + this.policy.sessionHours * 3600_000;
    const expiresAt = new Date(Math.min(endsBy, now + this.policy.sessionIdleMinutes * 60_000)).toISOString();
    await this.repo.saveSession(hashSecret(token), user.id, this.at(), expiresAt);
    return { token, expiresAt, endsBy: new Date(endsBy).toISOString() };
  }

  /** The account behind a session cookie, if the session is live and the account active. */
  async userForSession(token: string): Promise<User | null> {
    return (await this.session(token))?.user ?? null;
  }

  /**
   * A live session's account and sign-in time. Each use slides the idle timeout forward, up to the session's longest
   * life; the expiry is written at most once a minute (a write per request would cost a disk sync each).
   */
  async session(token: string): Promise<{ user: User; signedInAt: string; expiresAt: string } | null> {
    const hash = hashSecret(token);
    const u = await this.repo.userBySession(hash, this.at());
    if (!u || u.status !== 'active') return null;
    const now = this.now().getTime();
    const cap = Date.parse(u.session.createdAt) + this.policy.sessionHours * 3600_000;
    const slid = Math.min(cap, now + this.policy.sessionIdleMinutes * 60_000);
    let expiresAt = u.session.expiresAt;
    if (slid - Date.parse(expiresAt) >= TOUCH_EVERY_MS) {
      expiresAt = new Date(slid).toISOString();
      await this.repo.extendSession(hash, expiresAt);
    }
    const { session, ...stored } = u;
    return { user: strip(stored), signedInAt: session.createdAt, expiresAt };
  }

  /**
   * Refuses an action that must follow a recent sign-in (approving an Actual alert, issuing a call-up, raising a
   * regime to emergency) when the session is older than the policy allows: whoever finds a console left signed in
   * cannot do it without the password. API tokens are standing credentials for automation and are not asked.
   */
  requireFreshSignIn(credential: Credential, action: string): void {
    if (credential.kind !== 'session') return;
    const age = this.now().getTime() - Date.parse(credential.signedInAt);
    if (age > this.policy.freshSignInMinutes * 60_000) {
      throw new AccountError('FRESH_SIGN_IN_REQUIRED', `${action} needs a sign-in within the last ${this.policy.freshSignInMinutes} minutes: sign in again with your password, then repeat it`);
    }
  }

  endSession(token: string): Promise<void> {
    return this.repo.deleteSession(hashSecret(token));
  }

  private expiry(days: number | undefined): string {
    const d = days ?? this.policy.tokenDefaultDays;
    if (!Number.isInteger(d) || d < 1 || d > this.policy.tokenMaxDays) {
      throw new AccountError('INVALID_EXPIRY', `expiresInDays must be a whole number from 1 to ${this.policy.tokenMaxDays}`, 'expiresInDays');
    }
    return new Date(this.now().getTime() + d * 86_400_000).toISOString();
  }

  /**
   * Creates an API token; returns it once (only its hash is kept). Over HTTP a token can only be made for the caller
   * itself: `user`, when given, must be the caller's own name.
   */
  async createToken(by: Acting, opts: { user?: string; label?: string | null; expiresInDays?: number } = {}): Promise<{ token: string; info: TokenInfo }> {
    const userName = opts.user ?? by.name;
    if (by.via === 'http' && userName !== by.name) {
      throw new AccountError('TOKEN_FOR_OTHER_USER', `a token acts only for the account that creates it; ${by.name} cannot create one for ${userName} (its owner must sign in and create it)`, 'user');
    }
    if (!userName) throw new AccountError('USER_NOT_FOUND', 'say which user the token is for', 'user');
    const user = await this.repo.findUser(userName);
    if (!user) throw new AccountError('USER_NOT_FOUND', `no user named ${userName}`, 'user');
    const label = opts.label ?? null;
    if (label !== null && label.length > 200) throw new AccountError('INVALID_USER', 'label: at most 200 characters', 'label');
    const expiresAt = this.expiry(opts.expiresInDays);
    const token = newSecret('rt');
    const id = newTokenId();
    const createdAt = this.at();
    await this.repo.saveToken({ id, tokenHash: hashSecret(token), userId: user.id, label, createdAt, createdBy: by.name, expiresAt },
      this.event(by, 'token.created', user.name, { tokenId: id, label, expiresAt }));
    return { token, info: { id, user: user.name, label, createdAt, createdBy: by.name, expiresAt, lastUsedAt: null, revokedAt: null, revokedBy: null } };
  }

  /** In-process and CLI form: a token for the named user with the default lifetime. Returns it once. */
  async createApiToken(userName: string, label: string | null = null, by: Acting = LOCAL, expiresInDays?: number): Promise<string> {
    return (await this.createToken(by, { user: userName, label, expiresInDays })).token;
  }

  /** Whether a token may act now, and if not, why; records its use. */
  async checkToken(token: string): Promise<TokenCheck> {
    const found = await this.repo.tokenByHash(hashSecret(token));
    if (!found) return { reason: 'unknown' };
    const now = this.now();
    if (found.token.revokedAt) return { reason: 'revoked' };
    if (found.token.expiresAt && Date.parse(found.token.expiresAt) <= now.getTime()) return { reason: 'expired' };
    if (found.user.status !== 'active') return { reason: 'inactive' };
    const last = found.token.lastUsedAt ? Date.parse(found.token.lastUsedAt) : null;
    let info = found.token;
    if (last === null || now.getTime() - last >= TOUCH_EVERY_MS) {
      await this.repo.touchToken(found.token.id, now.toISOString());
      info = { ...info, lastUsedAt: now.toISOString() };
    }
    return { user: strip(found.user), token: info };
  }

  async userForToken(token: string): Promise<User | null> {
    const c = await this.checkToken(token);
    return 'user' in c ? c.user : null;
  }

  /** Tokens without their secrets: an admin sees everyone's (or one user's), anyone else only their own. */
  async listTokens(by: Acting, user?: string): Promise<TokenInfo[]> {
    if (by.via === 'http' && by.role !== 'admin') {
      if (user !== undefined && user !== by.name) throw new AccountError('NOT_ADMIN', 'only an admin may list other accounts\' tokens', 'user');
      return this.repo.listTokens(by.name);
    }
    return this.repo.listTokens(user ?? null);
  }

  /** Revokes a token at once. Over HTTP: your own, or any as an admin. */
  async revokeToken(by: Acting, id: string): Promise<TokenInfo> {
    const t = await this.repo.getToken(id);
    if (!t || (by.via === 'http' && by.role !== 'admin' && t.user !== by.name)) throw new AccountError('TOKEN_NOT_FOUND', `no token ${id}`, 'id');
    if (!t.revokedAt) await this.repo.revokeToken(id, this.at(), by.name, this.event(by, 'token.revoked', t.user, { tokenId: id, label: t.label }));
    return (await this.repo.getToken(id))!;
  }

  /**
   * A second admin confirms a pending account. Not one of the admins who made it pending, not the account itself,
   * and only after its owner has chosen their own password.
   */
  async activate(by: Acting, name: string): Promise<User> {
    this.requireAdmin(by);
    const u = await this.target(name);
    if (u.status === 'disabled') throw new AccountError('ACCOUNT_INACTIVE', `${name} is disabled; enable it first`, 'name');
    if (!u.pendingSince) throw new AccountError('NOT_PENDING', `${name} is not waiting for activation`, 'name');
    if (by.via === 'http') {
      if (by.name === name) throw new AccountError('NOT_ON_YOURSELF', 'an account cannot activate itself', 'name');
      if (by.name !== null && u.pendingBy.includes(by.name)) {
        throw new AccountError('SECOND_ADMIN_REQUIRED', `two-person rule: ${by.name} made ${name} pending (${u.pendingReason}), so another admin must activate it`, 'name');
      }
      if (u.mustChangePassword) {
        throw new AccountError('OWNER_PASSWORD_NOT_SET', `${name} has not yet chosen their own password; they must sign in once with the one they were given, then ask you again`, 'name');
      }
    }
    // Applies only to the account as checked above: if its password, role or pending state changed meanwhile (say, the
    // admin who made it pending reset its password), the check no longer holds and a second admin must look again.
    const applied = await this.repo.updateUser(u.id, { pending: null }, this.event(by, 'user.activated', name, { pendingReason: u.pendingReason, pendingBy: u.pendingBy }), false,
      { role: u.role, pendingSince: u.pendingSince, passwordChangedAt: u.passwordChangedAt, mustChangePassword: u.mustChangePassword });
    if (!applied) throw new AccountError('ACCOUNT_CHANGED', `${name} was changed while you were activating it; look at it again and retry`, 'name');
    return this.getUser(name);
  }

  /** Changes an account's role; over HTTP not your own, and a new alert role leaves the account pending. Ends its sessions. */
  async changeRole(by: Acting, name: string, role: string): Promise<User> {
    this.requireAdmin(by);
    if (!isRole(role)) throw new AccountError('INVALID_USER', 'role must be one of admin, operator, approver, warden', 'role');
    const u = await this.target(name);
    if (by.via === 'http' && by.name === name) throw new AccountError('NOT_ON_YOURSELF', 'you cannot change your own role; ask another admin', 'name');
    if (u.role === role) return strip(u);
    const pending = by.via === 'http' && ALERT_ROLES.includes(role) ? this.pendingAfter(u, by, 'role-changed') : undefined;
    await this.repo.updateUser(u.id, { role, ...(pending ? { pending } : {}) }, this.event(by, 'user.role-changed', name, { from: u.role, to: role, pending: !!pending || u.status === 'pending' }), {});
    return this.getUser(name);
  }

  /** Disables (ending its sessions; its tokens stop at once) or enables an account. Pending stays pending. */
  async setDisabled(by: Acting, name: string, disabled: boolean): Promise<User> {
    this.requireAdmin(by);
    const u = await this.target(name);
    if (by.via === 'http' && by.name === name) throw new AccountError('NOT_ON_YOURSELF', 'you cannot disable or enable your own account', 'name');
    if (!!u.disabledAt === disabled) return strip(u);
    await this.repo.updateUser(u.id, { disabledAt: disabled ? this.at() : null }, this.event(by, disabled ? 'user.disabled' : 'user.enabled', name), disabled ? {} : false);
    return this.getUser(name);
  }

  /**
   * An admin sets someone else's password. Over HTTP: the owner must choose a new one at next sign-in, and an
   * alert-capable account is pending until a second admin activates it (so the resetting admin never holds a working
   * credential for it). From the shell (`refuge admin reset-password`) the password works at once. Ends its sessions.
   */
  async resetPassword(by: Acting, name: string, password: string): Promise<User> {
    this.requireAdmin(by);
    const u = await this.target(name);
    if (by.via === 'http' && by.name === name) throw new AccountError('NOT_ON_YOURSELF', 'change your own password with your current one (POST /api/auth/password)', 'name');
    Accounts.checkPassword(password);
    const http = by.via === 'http';
    const pending = http && ALERT_ROLES.includes(u.role) ? this.pendingAfter(u, by, 'password-reset') : undefined;
    await this.repo.updateUser(u.id, { passwordHash: await hashPassword(password), passwordChangedAt: this.at(), mustChangePassword: http, ...(pending ? { pending } : {}) },
      this.event(by, 'password.reset', name, { pending: !!pending || u.status === 'pending', mustChange: http }), {});
    return this.getUser(name);
  }

  /** Your own password, with your current one. Ends your other sessions (keeps `keepSession`, the one in use). */
  async changeOwnPassword(user: User, current: string, next: string, keepSession?: string): Promise<void> {
    const u = await this.target(user.name);
    if (!(await verifyPassword(current, u.passwordHash))) throw new AccountError('WRONG_PASSWORD', 'the current password is wrong', 'currentPassword');
    Accounts.checkPassword(next, 'newPassword');
    if (next === current) throw new AccountError('INVALID_PASSWORD', 'newPassword must differ from the current one', 'newPassword');
    await this.repo.updateUser(u.id, { passwordHash: await hashPassword(next), passwordChangedAt: this.at(), mustChangePassword: false },
      this.event({ name: user.name, via: 'http' }, 'password.changed', user.name), { except: keepSession ? hashSecret(keepSession) : undefined });
  }

  /** Signs an account out everywhere; returns how many sessions ended. */
  async endSessions(by: Acting, name: string): Promise<number> {
    this.requireAdmin(by);
    const u = await this.target(name);
    return this.repo.endSessions(u.id, this.event(by, 'sessions.ended', name));
  }

  events(q: { subject?: string; before?: number; limit?: number } = {}) {
    return this.repo.listEvents({ subject: q.subject, before: q.before, limit: Math.min(Math.max(q.limit ?? 100, 1), 1000) });
  }
}
