import type { Role } from './roles.ts';

export type AccountStatus = 'active' | 'pending' | 'disabled';

export interface User {
  id: number;
  name: string;
  role: Role;
  createdAt: string;
  disabledAt: string | null;
  /** Who created it over HTTP or the CLI (null for accounts made before this was recorded, or in-process). */
  createdBy: string | null;
  /** disabled wins over pending; only an active account can sign in or use its tokens. */
  status: AccountStatus;
  /** Set while the account waits for a second admin to activate it. */
  pendingSince: string | null;
  pendingReason: PendingReason | null;
  /** The admins who made it pending; none of them may activate it. */
  pendingBy: string[];
  /** Someone other than the owner chose the password: the owner must choose their own at the next sign-in. */
  mustChangePassword: boolean;
  passwordChangedAt: string | null;
  /**
   * Region codes an admin gave the account (its area of responsibility); empty: none. Sorted, no duplicates. Kept as
   * given even when a region import has since removed a code: a vanished code still restricts (it matches no region),
   * so an account whose codes all vanished drafts nowhere rather than everywhere.
   */
  jurisdiction: string[];
  /**
   * Of `jurisdiction`, the codes that are no longer imported regions (a re-import dropped them). Present on reads that
   * check it (findUser, listUsers: what the account screens show); absent elsewhere.
   */
  jurisdictionGone?: string[];
}

export type PendingReason = 'created' | 'role-changed' | 'password-reset';

export interface StoredUser extends User {
  passwordHash: string;
}

/** How an account change arrived: an HTTP caller, the shell (`refuge admin ...`), or in-process code (tests, demo). */
export type Via = 'http' | 'cli' | 'local';

export interface AccountEventInput {
  at: string;
  actor: string | null;
  via: Via;
  action: string;
  subject: string | null;
  detail: Record<string, unknown>;
}

export interface AccountEvent extends AccountEventInput {
  id: number;
}

export interface NewUser {
  name: string;
  role: Role;
  passwordHash: string;
  createdAt: string;
  createdBy: string | null;
  pending: { since: string; reason: PendingReason; by: string[] } | null;
  mustChangePassword: boolean;
  /** Region codes; every one must be a stored region (the store checks, in its transaction). Absent: none. */
  jurisdiction?: string[];
}

/**
 * What an account must still look like for a change to apply: a decision taken on what was read (activating a pending
 * account) must not apply to an account someone changed meanwhile (its password reset or role changed by the admin
 * who made it pending).
 */
export interface UserExpectation {
  role: Role;
  pendingSince: string | null;
  passwordChangedAt: string | null;
  mustChangePassword: boolean;
}

/** Changes to one account; fields left out stay as they are. */
export interface UserPatch {
  role?: Role;
  passwordHash?: string;
  passwordChangedAt?: string;
  mustChangePassword?: boolean;
  pending?: { since: string; reason: PendingReason; by: string[] } | null;
  disabledAt?: string | null;
  /** Region codes (empty: none); every one must be a stored region (the store checks, in its transaction). */
  jurisdiction?: string[];
}

export interface TokenInfo {
  id: string;
  user: string;
  label: string | null;
  createdAt: string;
  createdBy: string | null;
  expiresAt: string | null;
  lastUsedAt: string | null;
  revokedAt: string | null;
  revokedBy: string | null;
}

export interface NewToken {
  id: string;
  tokenHash: string;
  userId: number;
  label: string | null;
  createdAt: string;
  createdBy: string | null;
  expiresAt: string;
}

/** A store refuses an account whose name is taken (also when two processes create it at once). */
export class UserNameTaken extends Error {
  constructor(readonly userName: string) {
    super(`a user named ${userName} already exists`);
    this.name = 'UserNameTaken';
  }
}

/**
 * A jurisdiction names region codes that are not stored: the store refuses the change whole (checked in the
 * transaction that writes it, so a region removed meanwhile by another process is caught too).
 */
export class UnknownRegionCodes extends Error {
  constructor(readonly codes: string[]) {
    super(`no region with code ${codes.map((c) => JSON.stringify(c)).join(', ')}`);
    this.name = 'UnknownRegionCodes';
  }
}

/** A session's account, with when the session began (its sign-in) and when it ends unless used. */
export type SessionUser = StoredUser & { session: { createdAt: string; expiresAt: string } };

export interface AccountRepository {
  /**
   * Creates the account and records the event in one transaction; throws UserNameTaken when the name is taken and
   * UnknownRegionCodes when its jurisdiction names a region that is not stored.
   */
  createUser(user: NewUser, event: AccountEventInput): Promise<User>;
  findUser(name: string): Promise<StoredUser | null>;
  listUsers(): Promise<User[]>;
  /**
   * Changes an account, records the event and (when asked) ends its sessions, all in one transaction.
   * `endSessions.except` keeps one session (the caller's own, after a password change).
   */
  /**
   * Applies the patch and records the event in one transaction. With `expect`, only if the account still matches it
   * (checked in that transaction); returns false and changes nothing otherwise. A jurisdiction naming a region that is
   * not stored throws UnknownRegionCodes and changes nothing.
   */
  updateUser(id: number, patch: UserPatch, event: AccountEventInput, endSessions?: { except?: string } | false, expect?: UserExpectation): Promise<boolean>;
  /** Ends every session of an account (or all but one) and records the event; returns how many ended. */
  endSessions(userId: number, event: AccountEventInput, except?: string): Promise<number>;
  saveSession(tokenHash: string, userId: number, createdAt: string, expiresAt: string): Promise<void>;
  /** The account behind a live session (expiring after `now`), whatever its status (the caller checks it). */
  userBySession(tokenHash: string, now: string): Promise<SessionUser | null>;
  /** Moves a session's expiry (the idle timeout slides with use, up to the session's longest life). */
  extendSession(tokenHash: string, expiresAt: string): Promise<void>;
  deleteSession(tokenHash: string): Promise<void>;
  saveToken(token: NewToken, event: AccountEventInput): Promise<void>;
  /** The token and its account, whatever their state (the caller checks expiry, revocation, status). */
  tokenByHash(tokenHash: string): Promise<{ token: TokenInfo; user: StoredUser } | null>;
  /** Records a use of the token. */
  touchToken(id: string, at: string): Promise<void>;
  /** Tokens of one account (by name), or of every account when user is null; newest first. */
  listTokens(user: string | null): Promise<TokenInfo[]>;
  getToken(id: string): Promise<TokenInfo | null>;
  /** Marks the token revoked and records the event; false when it was not live. */
  revokeToken(id: string, at: string, by: string | null, event: AccountEventInput): Promise<boolean>;
  appendEvent(event: AccountEventInput): Promise<void>;
  /** Newest first; `before` pages back by id. */
  listEvents(q: { subject?: string; before?: number; limit: number }): Promise<AccountEvent[]>;
}
