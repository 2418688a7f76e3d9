import type pg from 'pg';

/** The first key of the session lock that marks a WORKER_ID as taken (the second: the id's hash). */
const WORKER_LOCK_SPACE = 723605192;
const RETRY_MS = 1_000;

/** Another live process on this database runs under the same WORKER_ID. */
export class WorkerIdInUseError extends Error {
  constructor(worker: string, waitedMs: number) {
    super(
      `WORKER_ID "${worker}" is in use by another process on this database (still after ${Math.round(waitedMs / 1000)} s): ` +
        'give each bot process its own WORKER_ID (the default is the host name, the same for every process on one host)',
    );
    this.name = 'WorkerIdInUseError';
  }
}

/**
 * Takes the session lock of `worker` on the queue's LISTEN connection and keeps it for the life of
 * that connection: a second process with the same WORKER_ID would take the first one's running jobs
 * as its own when it starts (they are held under that id), and both would deliver them. The server
 * is told to give up on this connection 30 s after it stops answering, so a host that died frees
 * its id soon; a process that died on a live host frees it at once. Waits up to `waitMs` for a
 * holder that is going away, then fails with the reason.
 */
export async function holdWorkerId(client: pg.Client, worker: string, waitMs: number): Promise<void> {
  await client.query('SET tcp_user_timeout = 30000');
  const started = Date.now();
  for (;;) {
    if (await tryTake(client, worker)) return;
    const waited = Date.now() - started;
    if (waited >= waitMs) throw new WorkerIdInUseError(worker, waited);
    await new Promise((resolve) => setTimeout(resolve, Math.min(RETRY_MS, waitMs - waited)));
  }
}

/** Whether a live process holds `worker` now (the doctor asks; taking the lock to see, it lets go at once). */
export async function isWorkerIdHeld(client: pg.Client, worker: string): Promise<boolean> {
  if (!(await tryTake(client, worker))) return true;
  await client.query('SELECT pg_advisory_unlock($1, hashtext($2))', [WORKER_LOCK_SPACE, worker]);
  return false;
}

/** Takes `worker`'s session lock if no other session holds it; whether this one holds it now. */
async function tryTake(client: pg.Client, worker: string): Promise<boolean> {
  const { rows } = await client.query<{ taken: boolean }>(
    'SELECT pg_try_advisory_lock($1, hashtext($2)) AS taken',
    [WORKER_LOCK_SPACE, worker],
  );
  return rows[0]?.taken === true;
}
