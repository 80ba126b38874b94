// One transaction on one pooled connection: every PostgreSQL port method that writes more than one row uses it, so a
// port method owns its transaction and no client object leaves the store.
import type pg from 'pg';

/**
 * A pooled connection for a caller's own sequence of queries. While it is checked out the pool does not listen for its
 * errors, and a connection the server ends (a failover, pg_terminate_backend) between two queries emits an 'error'
 * that would crash the process: it is caught here, the caller's next query fails instead, and the broken connection
 * is destroyed on release rather than returned to the pool.
 */
export async function checkout(pool: pg.Pool): Promise<{ c: pg.PoolClient; release(): void }> {
  const c = await pool.connect();
  let broken: Error | undefined;
  const onError = (err: Error) => { broken = err; };
  c.on('error', onError);
  return {
    c,
    release() {
      c.off('error', onError);
      c.release(broken);
    },
  };
}

export async function withTransaction<T>(pool: pg.Pool, fn: (c: pg.PoolClient) => Promise<T>, begin = 'BEGIN'): Promise<T> {
  const { c, release } = await checkout(pool);
  try {
    await c.query(begin);
    const out = await fn(c);
    await c.query('COMMIT');
    return out;
  } catch (e) {
    await c.query('ROLLBACK').catch(() => {});
    throw e;
  } finally {
    release();
  }
}
