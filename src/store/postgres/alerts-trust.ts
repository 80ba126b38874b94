// PostgreSQL store of the trusted authorities (migration 025), read on every import so a `refuge alerts trust` change
// takes effect in every running server at once. Senders match without regard to ASCII case, as SQLite's NOCASE.
import type pg from 'pg';
import type { TrustedAuthority, TrustedAuthorityStore } from '../../alerts/lifecycle/ports.ts';

interface Row { sender: string; name: string; public_key_pem: string; key_id: string; added_by: string; added_at: string }

const toAuthority = (r: Row): TrustedAuthority => ({
  sender: r.sender, name: r.name, publicKeyPem: r.public_key_pem, keyId: r.key_id, addedBy: r.added_by, addedAt: r.added_at,
});

/** SQLite's NOCASE: folds ASCII letters only. The same expression as the unique index in migration 025. */
const nocase = (x: string) => `translate(${x}, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz')`;

export class PostgresTrustedAuthorityStore implements TrustedAuthorityStore {
  constructor(private readonly pool: pg.Pool) {}

  async find(sender: string): Promise<TrustedAuthority | null> {
    const row = (await this.pool.query(`SELECT * FROM alert_trusted_authorities WHERE ${nocase('sender')} = ${nocase('$1')}`, [sender.trim()])).rows[0] as Row | undefined;
    return row ? toAuthority(row) : null;
  }

  async list(): Promise<TrustedAuthority[]> {
    return ((await this.pool.query(`SELECT * FROM alert_trusted_authorities ORDER BY ${nocase('sender')} COLLATE "C"`)).rows as Row[]).map(toAuthority);
  }

  async put(a: TrustedAuthority): Promise<void> {
    await this.pool.query(`INSERT INTO alert_trusted_authorities (sender, name, public_key_pem, key_id, added_by, added_at) VALUES ($1, $2, $3, $4, $5, $6)
      ON CONFLICT ((${nocase('sender')})) DO UPDATE SET sender = excluded.sender, name = excluded.name, public_key_pem = excluded.public_key_pem,
        key_id = excluded.key_id, added_by = excluded.added_by, added_at = excluded.added_at`,
    [a.sender, a.name, a.publicKeyPem, a.keyId, a.addedBy, a.addedAt]);
  }

  async remove(sender: string): Promise<boolean> {
    return (await this.pool.query(`DELETE FROM alert_trusted_authorities WHERE ${nocase('sender')} = ${nocase('$1')}`, [sender.trim()])).rowCount === 1;
  }
}
