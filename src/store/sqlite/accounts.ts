// SQLite implementation of the AccountRepository port. Every change writes its account_events row in the same transaction.
import type { Db } from './db.ts';
import type {
  AccountEvent, AccountEventInput, AccountRepository, NewToken, NewUser, PendingReason, SessionUser, StoredUser, TokenInfo, User, UserExpectation, UserPatch,
} from '../../accounts/ports.ts';
import type { Role } from '../../accounts/roles.ts';
import { UnknownRegionCodes, UserNameTaken } from '../../accounts/ports.ts';

/** The jurisdiction column: a JSON array, NULL for none. */
const jurisdictionColumn = (codes: readonly string[] | undefined) => (codes && codes.length ? JSON.stringify(codes) : null);

interface UserRow {
  id: number; name: string; role: Role; password_hash: string; created_at: string; disabled_at: string | null;
  created_by: string | null; pending_since: string | null; pending_reason: PendingReason | null; pending_by: string | null;
  must_change_password: number; password_changed_at: string | null; jurisdiction: string | null;
  /** JSON array of the jurisdiction's codes that are not stored regions (only on reads that select GONE). */
  jurisdiction_gone?: string;
}
/** `gone` in the jurisdiction's own (stored) order. */
function inOrder(jurisdiction: string | null, gone: string[]): string[] {
  const set = new Set(gone);
  return jurisdiction ? (JSON.parse(jurisdiction) as string[]).filter((c) => set.has(c)) : [];
}
/** The jurisdiction's codes that are no longer regions (a re-import removed them), as a JSON array. */
const GONE = `(SELECT json_group_array(j.value) FROM json_each(COALESCE(users.jurisdiction, '[]')) j
  WHERE NOT EXISTS (SELECT 1 FROM regions r WHERE r.code = j.value)) AS jurisdiction_gone`;
interface TokenRow {
  id: string; user_name: string; label: string | null; created_at: string; created_by: string | null; expires_at: string | null;
  last_used_at: string | null; revoked_at: string | null; revoked_by: string | null;
}
interface EventRow { id: number; at: string; actor: string | null; via: AccountEvent['via']; action: string; subject: string | null; detail: string }

function toStored(r: UserRow): StoredUser {
  return {
    id: r.id, name: r.name, role: r.role, createdAt: r.created_at, disabledAt: r.disabled_at, createdBy: r.created_by,
    status: r.disabled_at ? 'disabled' : r.pending_since ? 'pending' : 'active',
    pendingSince: r.pending_since, pendingReason: r.pending_since ? r.pending_reason : null,
    pendingBy: r.pending_since && r.pending_by ? (JSON.parse(r.pending_by) as string[]) : [],
    mustChangePassword: r.must_change_password === 1, passwordChangedAt: r.password_changed_at,
    jurisdiction: r.jurisdiction ? (JSON.parse(r.jurisdiction) as string[]) : [],
    ...(r.jurisdiction_gone !== undefined ? { jurisdictionGone: inOrder(r.jurisdiction, JSON.parse(r.jurisdiction_gone) as string[]) } : {}),
    passwordHash: r.password_hash,
  };
}
const toUser = (r: UserRow): User => {
  const { passwordHash: _drop, ...u } = toStored(r);
  return u;
};
const toToken = (r: TokenRow): TokenInfo => ({
  id: r.id, user: r.user_name, label: r.label, createdAt: r.created_at, createdBy: r.created_by, expiresAt: r.expires_at,
  lastUsedAt: r.last_used_at, revokedAt: r.revoked_at, revokedBy: r.revoked_by,
});
const TOKEN_SELECT = 'SELECT t.id, u.name AS user_name, t.label, t.created_at, t.created_by, t.expires_at, t.last_used_at, t.revoked_at, t.revoked_by FROM api_tokens t JOIN users u ON u.id = t.user_id';

export class SqliteAccountRepository implements AccountRepository {
  constructor(private readonly db: Db) {}

  /** Refuses codes that are not stored regions (run inside the writing transaction). */
  private checkRegions(codes: readonly string[] | undefined): void {
    if (!codes?.length) return;
    const has = this.db.prepare('SELECT 1 FROM regions WHERE code = ?').pluck();
    const unknown = codes.filter((c) => !has.get(c));
    if (unknown.length) throw new UnknownRegionCodes(unknown);
  }

  private insertEvent(e: AccountEventInput): void {
    this.db.prepare('INSERT INTO account_events (at, actor, via, action, subject, detail) VALUES (?, ?, ?, ?, ?, ?)')
      .run(e.at, e.actor, e.via, e.action, e.subject, JSON.stringify(e.detail));
  }

  async createUser(u: NewUser, event: AccountEventInput): Promise<User> {
    const id = this.db.transaction(() => {
      // Checked in the transaction: another process on the same file may have taken the name since the caller looked.
      if (this.db.prepare('SELECT 1 FROM users WHERE name = ?').get(u.name)) throw new UserNameTaken(u.name);
      this.checkRegions(u.jurisdiction);
      const info = this.db.prepare(`INSERT INTO users (name, role, password_hash, created_at, created_by, pending_since, pending_reason, pending_by, must_change_password, password_changed_at, jurisdiction)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`).run(u.name, u.role, u.passwordHash, u.createdAt, u.createdBy, u.pending?.since ?? null, u.pending?.reason ?? null,
        u.pending ? JSON.stringify(u.pending.by) : null, u.mustChangePassword ? 1 : 0, u.createdAt, jurisdictionColumn(u.jurisdiction));
      this.insertEvent(event);
      return Number(info.lastInsertRowid);
    })();
    return toUser(this.db.prepare(`SELECT users.*, ${GONE} FROM users WHERE id = ?`).get(id) as UserRow);
  }

  async findUser(name: string): Promise<StoredUser | null> {
    const r = this.db.prepare(`SELECT users.*, ${GONE} FROM users WHERE name = ?`).get(name) as UserRow | undefined;
    return r ? toStored(r) : null;
  }

  async listUsers(): Promise<User[]> {
    return (this.db.prepare(`SELECT users.*, ${GONE} FROM users ORDER BY name`).all() as UserRow[]).map(toUser);
  }

  async updateUser(id: number, patch: UserPatch, event: AccountEventInput, endSessions: { except?: string } | false = false, expect?: UserExpectation): Promise<boolean> {
    const sets: string[] = [];
    const args: unknown[] = [];
    const set = (col: string, v: unknown) => { sets.push(`${col} = ?`); args.push(v); };
    if (patch.role !== undefined) set('role', patch.role);
    if (patch.passwordHash !== undefined) set('password_hash', patch.passwordHash);
    if (patch.passwordChangedAt !== undefined) set('password_changed_at', patch.passwordChangedAt);
    if (patch.mustChangePassword !== undefined) set('must_change_password', patch.mustChangePassword ? 1 : 0);
    if (patch.disabledAt !== undefined) set('disabled_at', patch.disabledAt);
    if (patch.jurisdiction !== undefined) set('jurisdiction', jurisdictionColumn(patch.jurisdiction));
    if (patch.pending !== undefined) {
      set('pending_since', patch.pending?.since ?? null);
      set('pending_reason', patch.pending?.reason ?? null);
      set('pending_by', patch.pending ? JSON.stringify(patch.pending.by) : null);
    }
    return this.db.transaction(() => {
      if (expect) {
        const same = this.db.prepare(`SELECT 1 FROM users WHERE id = ? AND role = ? AND pending_since IS ? AND password_changed_at IS ? AND must_change_password = ?`)
          .get(id, expect.role, expect.pendingSince, expect.passwordChangedAt, expect.mustChangePassword ? 1 : 0);
        if (!same) return false;
      }
      this.checkRegions(patch.jurisdiction);
      if (sets.length) this.db.prepare(`UPDATE users SET ${sets.join(', ')} WHERE id = ?`).run(...args, id);
      if (endSessions) this.db.prepare('DELETE FROM sessions WHERE user_id = ? AND token_hash IS NOT ?').run(id, endSessions.except ?? null);
      this.insertEvent(event);
      return true;
    }).immediate();
  }

  async endSessions(userId: number, event: AccountEventInput, except?: string): Promise<number> {
    return this.db.transaction(() => {
      const n = this.db.prepare('DELETE FROM sessions WHERE user_id = ? AND token_hash IS NOT ?').run(userId, except ?? null).changes;
      this.insertEvent({ ...event, detail: { ...event.detail, sessionsEnded: n } });
      return n;
    })();
  }

  async saveSession(tokenHash: string, userId: number, createdAt: string, expiresAt: string): Promise<void> {
    this.db.prepare('INSERT INTO sessions (token_hash, user_id, created_at, expires_at) VALUES (?, ?, ?, ?)').run(tokenHash, userId, createdAt, expiresAt);
  }

  async userBySession(tokenHash: string, now: string): Promise<SessionUser | null> {
    const r = this.db.prepare('SELECT u.*, s.created_at AS session_created_at, s.expires_at AS session_expires_at FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.token_hash = ? AND s.expires_at > ?')
      .get(tokenHash, now) as (UserRow & { session_created_at: string; session_expires_at: string }) | undefined;
    return r ? { ...toStored(r), session: { createdAt: r.session_created_at, expiresAt: r.session_expires_at } } : null;
  }

  async extendSession(tokenHash: string, expiresAt: string): Promise<void> {
    this.db.prepare('UPDATE sessions SET expires_at = ? WHERE token_hash = ?').run(expiresAt, tokenHash);
  }

  async deleteSession(tokenHash: string): Promise<void> {
    this.db.prepare('DELETE FROM sessions WHERE token_hash = ?').run(tokenHash);
  }

  async saveToken(t: NewToken, event: AccountEventInput): Promise<void> {
    this.db.transaction(() => {
      this.db.prepare('INSERT INTO api_tokens (token_hash, user_id, label, created_at, id, created_by, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?)')
        .run(t.tokenHash, t.userId, t.label, t.createdAt, t.id, t.createdBy, t.expiresAt);
      this.insertEvent(event);
    })();
  }

  /** One query per API request: the token and its account together, with the statement prepared once. */
  private byHash?: ReturnType<Db['prepare']>;
  async tokenByHash(tokenHash: string): Promise<{ token: TokenInfo; user: StoredUser } | null> {
    this.byHash ??= this.db.prepare(`SELECT u.*, t.id AS t_id, t.label AS t_label, t.created_at AS t_created_at, t.created_by AS t_created_by,
      t.expires_at AS t_expires_at, t.last_used_at AS t_last_used_at, t.revoked_at AS t_revoked_at, t.revoked_by AS t_revoked_by
      FROM api_tokens t JOIN users u ON u.id = t.user_id WHERE t.token_hash = ?`);
    const r = this.byHash.get(tokenHash) as (UserRow & Record<`t_${string}`, string | null>) | undefined;
    if (!r) return null;
    const token = toToken({
      id: r.t_id!, user_name: r.name, label: r.t_label, created_at: r.t_created_at!, created_by: r.t_created_by, expires_at: r.t_expires_at,
      last_used_at: r.t_last_used_at, revoked_at: r.t_revoked_at, revoked_by: r.t_revoked_by,
    });
    return { token, user: toStored(r) };
  }

  async touchToken(id: string, at: string): Promise<void> {
    this.db.prepare('UPDATE api_tokens SET last_used_at = ? WHERE id = ?').run(at, id);
  }

  async listTokens(user: string | null): Promise<TokenInfo[]> {
    const rows = user === null
      ? this.db.prepare(`${TOKEN_SELECT} ORDER BY t.created_at DESC, t.rowid DESC`).all()
      : this.db.prepare(`${TOKEN_SELECT} WHERE u.name = ? ORDER BY t.created_at DESC, t.rowid DESC`).all(user);
    return (rows as TokenRow[]).map(toToken);
  }

  async getToken(id: string): Promise<TokenInfo | null> {
    const r = this.db.prepare(`${TOKEN_SELECT} WHERE t.id = ?`).get(id) as TokenRow | undefined;
    return r ? toToken(r) : null;
  }

  async revokeToken(id: string, at: string, by: string | null, event: AccountEventInput): Promise<boolean> {
    return this.db.transaction(() => {
      const n = this.db.prepare('UPDATE api_tokens SET revoked_at = ?, revoked_by = ? WHERE id = ? AND revoked_at IS NULL').run(at, by, id).changes;
      if (n) this.insertEvent(event);
      return n > 0;
    })();
  }

  async appendEvent(event: AccountEventInput): Promise<void> {
    this.insertEvent(event);
  }

  async listEvents(q: { subject?: string; before?: number; limit: number }): Promise<AccountEvent[]> {
    const where: string[] = [];
    const args: unknown[] = [];
    if (q.subject !== undefined) { where.push('subject = ?'); args.push(q.subject); }
    if (q.before !== undefined) { where.push('id < ?'); args.push(q.before); }
    const rows = this.db.prepare(`SELECT * FROM account_events ${where.length ? 'WHERE ' + where.join(' AND ') : ''} ORDER BY id DESC LIMIT ?`).all(...args, q.limit) as EventRow[];
    return rows.map((r) => ({ id: r.id, at: r.at, actor: r.actor, via: r.via, action: r.action, subject: r.subject, detail: JSON.parse(r.detail) as Record<string, unknown> }));
  }
}
