import type pg from 'pg';

/** Runs `work` in one transaction on one pooled connection: committed when it resolves, rolled back when it throws. */
export async function inTransaction<T>(
  pool: pg.Pool,
  work: (client: pg.PoolClient) => Promise<T>,
): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const result = await work(client);
    await client.query('COMMIT');
    client.release();
    return result;
  } catch (error: unknown) {
    await releaseAfterFailure(client);
    throw error;
  }
}

/**
 * Rolls back whatever a failed step left open and gives the connection back; one that cannot even
 * roll back is dropped, not handed to the next caller.
 */
export async function releaseAfterFailure(client: pg.PoolClient): Promise<void> {
  const broken = await client.query('ROLLBACK').then(
    () => false,
    () => true,
  );
  client.release(broken);
}
