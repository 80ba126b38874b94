// SQLite implementation of the AccountRepository port.
import type { Db } from './db.ts';
import type { AccountRepository, User } from '../../accounts/ports.ts';
import type { Role } from '../../accounts/roles.ts';

interface UserRow { id: number; name: string; role: Role; password_hash: string; created_at: string; disabled_at: string | null }
const toUser = (r: UserRow): User => ({ id: r.id, name: r.name, role: r.role, createdAt: r.created_at, disabledAt: r.disabled_at });

export class SqliteAccountRepository implements AccountRepository {
  constructor(private readonly db: Db) {}

  async createUser(name: string, role: Role, passwordHash: string): Promise<User> {
    const at = new Date().toISOString();
    const info = this.db.prepare('INSERT INTO users (name, role, password_hash, created_at) VALUES (?, ?, ?, ?)').run(name, role, passwordHash, at);
    return { id: Number(info.lastInsertRowid), name, role, createdAt: at, disabledAt: null };
  }

  async findUser(name: string) {
    const r = this.db.prepare('SELECT * FROM users WHERE name = ?').get(name) as UserRow | undefined;
    return r ? { ...toUser(r), passwordHash: r.password_hash } : null;
  }

  async listUsers(): Promise<User[]> {
    return (this.db.prepare('SELECT * FROM users ORDER BY name').all() as UserRow[]).map(toUser);
  }

  async saveSession(tokenHash: string, userId: number, expiresAt: string): Promise<void> {
    this.db.prepare('INSERT INTO sessions (token_hash, user_id, created_at, expires_at) VALUES (?, ?, ?, ?)').run(tokenHash, userId, new Date().toISOString(), expiresAt);
  }

  async userBySession(tokenHash: string, now: string): Promise<User | null> {
    const r = this.db.prepare('SELECT u.* FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.token_hash = ? AND s.expires_at > ? AND u.disabled_at IS NULL').get(tokenHash, now) as UserRow | undefined;
    return r ? toUser(r) : null;
  }

  async deleteSession(tokenHash: string): Promise<void> {
    this.db.prepare('DELETE FROM sessions WHERE token_hash = ?').run(tokenHash);
  }

  async saveToken(tokenHash: string, userId: number, label: string | null): Promise<void> {
    this.db.prepare('INSERT INTO api_tokens (token_hash, user_id, label, created_at) VALUES (?, ?, ?, ?)').run(tokenHash, userId, label, new Date().toISOString());
  }

  async userByToken(tokenHash: string): Promise<User | null> {
    const r = this.db.prepare('SELECT u.* FROM api_tokens t JOIN users u ON u.id = t.user_id WHERE t.token_hash = ? AND t.revoked_at IS NULL AND u.disabled_at IS NULL').get(tokenHash) as UserRow | undefined;
    return r ? toUser(r) : null;
  }
}
