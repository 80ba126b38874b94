// SQLite store of the trusted authorities (migration 065), read on every import so a `refuge alerts trust` change
// takes effect in a running server at once.
import type { Db } from './db.ts';
import type { TrustedAuthority, TrustedAuthorityStore } from '../../alerts/lifecycle/ports.ts';

interface Row { sender: string; name: string; public_key_pem: string; key_id: string; added_by: string; added_at: string }

const toAuthority = (r: Row): TrustedAuthority => ({
  sender: r.sender, name: r.name, publicKeyPem: r.public_key_pem, keyId: r.key_id, addedBy: r.added_by, addedAt: r.added_at,
});

export class SqliteTrustedAuthorityStore implements TrustedAuthorityStore {
  constructor(private readonly db: Db) {}

  async find(sender: string): Promise<TrustedAuthority | null> {
    const row = this.db.prepare('SELECT * FROM alert_trusted_authorities WHERE sender = ? COLLATE NOCASE').get(sender.trim()) as Row | undefined;
    return row ? toAuthority(row) : null;
  }

  async list(): Promise<TrustedAuthority[]> {
    return (this.db.prepare('SELECT * FROM alert_trusted_authorities ORDER BY sender').all() as Row[]).map(toAuthority);
  }

  async put(a: TrustedAuthority): Promise<void> {
    this.db.prepare(`INSERT INTO alert_trusted_authorities (sender, name, public_key_pem, key_id, added_by, added_at) VALUES (?, ?, ?, ?, ?, ?)
      ON CONFLICT(sender) DO UPDATE SET sender = excluded.sender, name = excluded.name, public_key_pem = excluded.public_key_pem,
        key_id = excluded.key_id, added_by = excluded.added_by, added_at = excluded.added_at`)
      .run(a.sender, a.name, a.publicKeyPem, a.keyId, a.addedBy, a.addedAt);
  }

  async remove(sender: string): Promise<boolean> {
    return this.db.prepare('DELETE FROM alert_trusted_authorities WHERE sender = ? COLLATE NOCASE').run(sender.trim()).changes === 1;
  }
}
