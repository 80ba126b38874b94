// The audit contract against SQLite and PostgreSQL (a schema of its own per test). Tampering is done as someone
// with the database would: raw SQL, after dropping the log's append-only guards.
import { auditContract } from './audit.contract.ts';
import { freshPostgres, freshSqlite } from './databases.ts';

auditContract('sqlite', async (t) => {
  const store = await freshSqlite(t);
  return {
    store,
    sql: async (text, params = []) => {
      const stmt = store.db.prepare(text);
      return stmt.reader ? stmt.all(...params) as Array<Record<string, unknown>> : (stmt.run(...params), []);
    },
    unguard: async () => { store.db.exec('DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete'); },
  };
});

auditContract('postgres', async (t) => {
  const store = await freshPostgres(t);
  return {
    store,
    sql: async (text, params = []) => {
      let n = 0;
      return (await store.pool.query(text.replace(/\?/g, () => `$${++n}`), params)).rows;
    },
    unguard: async () => { await store.pool.query('ALTER TABLE audit_log DISABLE TRIGGER USER'); },
  };
});
