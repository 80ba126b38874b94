// PostgreSQL implementation of the AccountRepository port (same answers as src/store/sqlite/accounts.ts). Every change
// writes its account_events row in the same transaction; what SQLite got from its single writer comes here from
// row locks taken by single UPDATE/DELETE statements (a second revoke waits for the first and then finds nothing live).
import type pg from 'pg';
import type {
  AccountEvent, AccountEventInput, AccountRepository, NewToken, NewUser, PendingReason, SessionUser, StoredUser, TokenInfo, User, UserExpectation, UserPatch,
} from '../../accounts/ports.ts';
import type { Role } from '../../accounts/roles.ts';
import { UnknownRegionCodes, UserNameTaken } from '../../accounts/ports.ts';
import { withTransaction } from './tx.ts';

interface UserRow {
  id: number; name: string; role: Role; password_hash: string; created_at: string; disabled_at: string | null;
  created_by: string | null; pending_since: string | null; pending_reason: PendingReason | null; pending_by: string[] | null;
  must_change_password: boolean; password_changed_at: string | null; jurisdiction: string[] | null;
  /** The jurisdiction's codes that are not stored regions (only on reads that select GONE). */
  jurisdiction_gone?: string[];
}
interface TokenRow {
  id: string; user_name: string; label: string | null; created_at: string; created_by: string | null; expires_at: string | null;
  last_used_at: string | null; revoked_at: string | null; revoked_by: string | null;
}

type Queryable = Pick<pg.Pool, 'query'> | pg.PoolClient;

/** The jurisdiction's codes that are no longer regions (a re-import removed them). */
const GONE = `ARRAY(SELECT c FROM unnest(users.jurisdiction) c WHERE NOT EXISTS (SELECT 1 FROM regions r WHERE r.code = c)) AS jurisdiction_gone`;

const USER_COLUMNS = 'u.id, u.name, u.role, u.password_hash, u.created_at, u.disabled_at, u.created_by, u.pending_since, u.pending_reason, u.pending_by, u.must_change_password, u.password_changed_at, u.jurisdiction';

function toStored(r: UserRow): StoredUser {
  return {
    id: r.id, name: r.name, role: r.role, createdAt: r.created_at, disabledAt: r.disabled_at, createdBy: r.created_by,
    status: r.disabled_at ? 'disabled' : r.pending_since ? 'pending' : 'active',
    pendingSince: r.pending_since, pendingReason: r.pending_since ? r.pending_reason : null,
    pendingBy: r.pending_since && r.pending_by ? r.pending_by : [],
    mustChangePassword: r.must_change_password, passwordChangedAt: r.password_changed_at,
    jurisdiction: r.jurisdiction ?? [],
    ...(r.jurisdiction_gone !== undefined ? { jurisdictionGone: (r.jurisdiction ?? []).filter((c) => r.jurisdiction_gone!.includes(c)) } : {}),
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
// The caller's own session survives (IS DISTINCT FROM: a null `except` keeps none).
const END_SESSIONS = 'DELETE FROM sessions WHERE user_id = $1 AND token_hash IS DISTINCT FROM $2';

/** The jurisdiction column: NULL for none. */
const jurisdictionColumn = (codes: readonly string[] | undefined) => (codes && codes.length ? [...codes] : null);

/**
 * Refuses codes that are not stored regions. Inside the writing transaction, with the rows found locked (FOR KEY
 * SHARE): a concurrent region import that removes one waits for this commit, then removes it after.
 */
async function checkRegions(c: Queryable, codes: readonly string[] | undefined): Promise<void> {
  if (!codes?.length) return;
  const found = new Set((await c.query<{ code: string }>('SELECT code FROM regions WHERE code = ANY($1::text[]) FOR KEY SHARE', [codes])).rows.map((r) => r.code));
  const unknown = codes.filter((x) => !found.has(x));
  if (unknown.length) throw new UnknownRegionCodes(unknown);
}

async function insertEvent(c: Queryable, e: AccountEventInput): Promise<void> {
  await c.query('INSERT INTO account_events (at, actor, via, action, subject, detail) VALUES ($1, $2, $3, $4, $5, $6)',
    [e.at, e.actor, e.via, e.action, e.subject, JSON.stringify(e.detail)]);
}

export class PostgresAccountRepository implements AccountRepository {
  constructor(private readonly pool: pg.Pool) {}

  async createUser(u: NewUser, event: AccountEventInput): Promise<User> {
    return withTransaction(this.pool, async (c) => {
      await checkRegions(c, u.jurisdiction);
      const r = await c.query<UserRow>(`INSERT INTO users (name, role, password_hash, created_at, created_by, pending_since, pending_reason, pending_by, must_change_password, password_changed_at, jurisdiction)
        VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $4, $10) RETURNING *, ${GONE}`,
        [u.name, u.role, u.passwordHash, u.createdAt, u.createdBy, u.pending?.since ?? null, u.pending?.reason ?? null, u.pending ? u.pending.by : null, u.mustChangePassword,
          jurisdictionColumn(u.jurisdiction)]);
      await insertEvent(c, event);
      return toUser(r.rows[0]);
    }).catch((err: unknown) => {
      // 23505 on the users' name: another caller (another process) took the name between the check and the insert.
      if ((err as { code?: string; constraint?: string }).code === '23505' && /name/.test((err as { constraint?: string }).constraint ?? 'name')) throw new UserNameTaken(u.name);
      throw err;
    });
  }

  async findUser(name: string): Promise<StoredUser | null> {
    const r = await this.pool.query<UserRow>(`SELECT users.*, ${GONE} FROM users WHERE name = $1`, [name]);
    return r.rows[0] ? toStored(r.rows[0]) : null;
  }

  async listUsers(): Promise<User[]> {
    return (await this.pool.query<UserRow>(`SELECT users.*, ${GONE} FROM users ORDER BY name`)).rows.map(toUser);
  }

  async updateUser(id: number, patch: UserPatch, event: AccountEventInput, endSessions: { except?: string } | false = false, expect?: UserExpectation): Promise<boolean> {
    // Only the columns in the patch are written: a concurrent change to other columns of the same account is kept.
    const sets: string[] = [];
    const args: unknown[] = [id];
    const set = (col: string, v: unknown) => { args.push(v); sets.push(`${col} = $${args.length}`); };
    if (patch.role !== undefined) set('role', patch.role);
    if (patch.passwordHash !== undefined) set('password_hash', patch.passwordHash);
    if (patch.passwordChangedAt !== undefined) set('password_changed_at', patch.passwordChangedAt);
    if (patch.mustChangePassword !== undefined) set('must_change_password', patch.mustChangePassword);
    if (patch.disabledAt !== undefined) set('disabled_at', patch.disabledAt);
    if (patch.jurisdiction !== undefined) set('jurisdiction', jurisdictionColumn(patch.jurisdiction));
    if (patch.pending !== undefined) {
      set('pending_since', patch.pending?.since ?? null);
      set('pending_reason', patch.pending?.reason ?? null);
      set('pending_by', patch.pending ? patch.pending.by : null);
    }
    return withTransaction(this.pool, async (c) => {
      if (expect) {
        // Locks the row: a concurrent reset or role change waits, then this check sees it (or it sees ours).
        const same = await c.query(`SELECT 1 FROM users WHERE id = $1 AND role = $2 AND pending_since IS NOT DISTINCT FROM $3
            AND password_changed_at IS NOT DISTINCT FROM $4 AND must_change_password = $5 FOR UPDATE`,
          [id, expect.role, expect.pendingSince, expect.passwordChangedAt, expect.mustChangePassword]);
        if (same.rowCount !== 1) return false;
      }
      await checkRegions(c, patch.jurisdiction);
      if (sets.length) await c.query(`UPDATE users SET ${sets.join(', ')} WHERE id = $1`, args);
      if (endSessions) await c.query(END_SESSIONS, [id, endSessions.except ?? null]);
      await insertEvent(c, event);
      return true;
    });
  }

  async endSessions(userId: number, event: AccountEventInput, except?: string): Promise<number> {
    return withTransaction(this.pool, async (c) => {
      const n = (await c.query(END_SESSIONS, [userId, except ?? null])).rowCount ?? 0;
      await insertEvent(c, { ...event, detail: { ...event.detail, sessionsEnded: n } });
      return n;
    });
  }

  async saveSession(tokenHash: string, userId: number, createdAt: string, expiresAt: string): Promise<void> {
    await this.pool.query('INSERT INTO sessions (token_hash, user_id, created_at, expires_at) VALUES ($1, $2, $3, $4)', [tokenHash, userId, createdAt, expiresAt]);
  }

  async userBySession(tokenHash: string, now: string): Promise<SessionUser | null> {
    const r = await this.pool.query<UserRow & { session_created_at: string; session_expires_at: string }>(
      `SELECT ${USER_COLUMNS}, s.created_at AS session_created_at, s.expires_at AS session_expires_at FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.token_hash = $1 AND s.expires_at > $2`, [tokenHash, now]);
    const row = r.rows[0];
    return row ? { ...toStored(row), session: { createdAt: row.session_created_at, expiresAt: row.session_expires_at } } : null;
  }

  async extendSession(tokenHash: string, expiresAt: string): Promise<void> {
    await this.pool.query('UPDATE sessions SET expires_at = $1 WHERE token_hash = $2', [expiresAt, tokenHash]);
  }

  async deleteSession(tokenHash: string): Promise<void> {
    await this.pool.query('DELETE FROM sessions WHERE token_hash = $1', [tokenHash]);
  }

  async saveToken(t: NewToken, event: AccountEventInput): Promise<void> {
    await withTransaction(this.pool, async (c) => {
      await c.query('INSERT INTO api_tokens (token_hash, user_id, label, created_at, id, created_by, expires_at) VALUES ($1, $2, $3, $4, $5, $6, $7)',
        [t.tokenHash, t.userId, t.label, t.createdAt, t.id, t.createdBy, t.expiresAt]);
      await insertEvent(c, event);
    });
  }

  /** One query per API request: the token and its account together. */
  async tokenByHash(tokenHash: string): Promise<{ token: TokenInfo; user: StoredUser } | null> {
    const r = await this.pool.query<UserRow & Record<`t_${string}`, string | null>>(`SELECT ${USER_COLUMNS}, t.id AS t_id, t.label AS t_label,
      t.created_at AS t_created_at, t.created_by AS t_created_by, t.expires_at AS t_expires_at, t.last_used_at AS t_last_used_at,
      t.revoked_at AS t_revoked_at, t.revoked_by AS t_revoked_by
      FROM api_tokens t JOIN users u ON u.id = t.user_id WHERE t.token_hash = $1`, [tokenHash]);
    const row = r.rows[0];
    if (!row) return null;
    const token = toToken({
      id: row.t_id!, user_name: row.name, label: row.t_label, created_at: row.t_created_at!, created_by: row.t_created_by, expires_at: row.t_expires_at,
      last_used_at: row.t_last_used_at, revoked_at: row.t_revoked_at, revoked_by: row.t_revoked_by,
    });
    return { token, user: toStored(row) };
  }

  async touchToken(id: string, at: string): Promise<void> {
    await this.pool.query('UPDATE api_tokens SET last_used_at = $2 WHERE id = $1', [id, at]);
  }

  async listTokens(user: string | null): Promise<TokenInfo[]> {
    const r = user === null
      ? await this.pool.query<TokenRow>(`${TOKEN_SELECT} ORDER BY t.created_at DESC, t.seq DESC`)
      : await this.pool.query<TokenRow>(`${TOKEN_SELECT} WHERE u.name = $1 ORDER BY t.created_at DESC, t.seq DESC`, [user]);
    return r.rows.map(toToken);
  }

  async getToken(id: string): Promise<TokenInfo | null> {
    const r = await this.pool.query<TokenRow>(`${TOKEN_SELECT} WHERE t.id = $1`, [id]);
    return r.rows[0] ? toToken(r.rows[0]) : null;
  }

  async revokeToken(id: string, at: string, by: string | null, event: AccountEventInput): Promise<boolean> {
    return withTransaction(this.pool, async (c) => {
      // A concurrent revoke of the same token waits on the row lock, then re-checks revoked_at and changes nothing.
      const n = (await c.query('UPDATE api_tokens SET revoked_at = $2, revoked_by = $3 WHERE id = $1 AND revoked_at IS NULL', [id, at, by])).rowCount ?? 0;
      if (n) await insertEvent(c, event);
      return n > 0;
    });
  }

  async appendEvent(event: AccountEventInput): Promise<void> {
    await insertEvent(this.pool, event);
  }

  async listEvents(q: { subject?: string; before?: number; limit: number }): Promise<AccountEvent[]> {
    const where: string[] = [];
    const args: unknown[] = [];
    if (q.subject !== undefined) { args.push(q.subject); where.push(`subject = $${args.length}`); }
    if (q.before !== undefined) { args.push(q.before); where.push(`id < $${args.length}`); }
    args.push(q.limit);
    const r = await this.pool.query<{ id: string; at: string; actor: string | null; via: AccountEvent['via']; action: string; subject: string | null; detail: Record<string, unknown> }>(
      `SELECT * FROM account_events ${where.length ? 'WHERE ' + where.join(' AND ') : ''} ORDER BY id DESC LIMIT $${args.length}`, args);
    // BIGINT arrives as a string; ids stay far below 2^53.
    return r.rows.map((e) => ({ id: Number(e.id), at: e.at, actor: e.actor, via: e.via, action: e.action, subject: e.subject, detail: e.detail }));
  }
}
