import { randomBytes } from 'node:crypto';
import type pg from 'pg';
import type { Logger } from '../log.js';
import { createSerialSteps, listenOn } from '../store/postgres-notifications.js';

/** A change to the index of kept images, in absolute values (applying one twice is harmless). */
export type ImageIndexChange =
  | { type: 'saved'; jobId: string; count: number; createdAt: number }
  | { type: 'removed'; jobId: string }
  | { type: 'pruned'; cutoff: number };

/** A change as sent with NOTIFY on its commit; `tag` names the index instance and change that sent it. */
type Tagged = ImageIndexChange & { tag: string };

/** A NOTIFY payload as sent by an image index; anything else on the channel is ignored. */
export function parseIndexChange(payload: string | undefined): Tagged | undefined {
  try {
    const value: unknown = JSON.parse(payload ?? '');
    if (typeof value !== 'object' || value === null) return undefined;
    const { type, jobId, count, createdAt, cutoff, tag } = value as Record<string, unknown>;
    if (typeof tag !== 'string') return undefined;
    if (
      type === 'saved' &&
      typeof jobId === 'string' &&
      typeof count === 'number' &&
      typeof createdAt === 'number'
    )
      return { type, jobId, count, createdAt, tag };
    if (type === 'removed' && typeof jobId === 'string') return { type, jobId, tag };
    if (type === 'pruned' && typeof cutoff === 'number') return { type, cutoff, tag };
    return undefined;
  } catch (error: unknown) {
    if (error instanceof SyntaxError) return undefined;
    throw error;
  }
}

/** How many images each job has kept, in this process's memory, as the table `image_files` says. */
export interface ImageIndex {
  count(jobId: string): number;
  /**
   * Runs one change's statement, which must send `notify` (channel, payload) with pg_notify on its
   * commit, then applies the change here.
   */
  commit<T>(change: ImageIndexChange, run: (notify: [string, string]) => Promise<T>): Promise<T>;
  /** Stops listening, after the changes heard so far are applied. */
  close(): Promise<void>;
}

/**
 * Reads `image_files` into memory and keeps it current by NOTIFY: each change carries its result,
 * and PostgreSQL delivers them in commit order, so every process's index ends where the table is. A
 * process applies its own change as soon as it commits, unless its NOTIFY was applied already (then
 * later changes may have been applied after it, and must stay). After a lost LISTEN connection the
 * index is read again.
 */
export async function startImageIndex(
  pool: pg.Pool,
  channel: string,
  log: Pick<Logger, 'error'>,
): Promise<ImageIndex> {
  const index = new Map<string, { count: number; createdAt: number }>();
  const origin = randomBytes(6).toString('base64url');
  let sent = 0;
  /** Our own changes in flight, and those of them whose NOTIFY was applied before their commit came back. */
  const inFlight = new Set<string>();
  const heardFirst = new Set<string>();
  const apply = (change: ImageIndexChange) => {
    if (change.type === 'saved')
      index.set(change.jobId, { count: change.count, createdAt: change.createdAt });
    else if (change.type === 'removed') index.delete(change.jobId);
    else for (const [jobId, kept] of index) if (kept.createdAt < change.cutoff) index.delete(jobId);
  };
  const reload = async () => {
    const { rows } = await pool.query<{ job_id: string; n: number; at: string }>(
      'SELECT job_id, COUNT(*)::int AS n, MIN(created_at) AS at FROM image_files GROUP BY job_id',
    );
    index.clear();
    for (const row of rows) index.set(row.job_id, { count: row.n, createdAt: Number(row.at) });
  };
  // Changes heard and reloads in one line: a change heard during a reload is applied after it.
  const steps = createSerialSteps((error) => log.error({ err: error }, 'reading the image index failed'));

  const listener = await listenOn(pool.options, channel, {
    onPayload(payload) {
      const change = parseIndexChange(payload);
      if (change === undefined) return;
      steps.run(() => {
        apply(change);
        if (inFlight.has(change.tag)) heardFirst.add(change.tag);
      });
    },
    onReconnected: () => steps.run(reload),
  });
  try {
    await steps.wait(reload);
  } catch (error: unknown) {
    await listener.stop().catch(() => undefined);
    throw error;
  }

  return {
    count: (jobId) => index.get(jobId)?.count ?? 0,
    async commit(change, run) {
      const tagged: Tagged = { ...change, tag: `${origin}.${++sent}` };
      inFlight.add(tagged.tag);
      try {
        const result = await run([channel, JSON.stringify(tagged)]);
        if (!heardFirst.delete(tagged.tag)) apply(change);
        return result;
      } finally {
        inFlight.delete(tagged.tag);
      }
    },
    async close() {
      await listener.stop();
      await steps.idle();
    },
  };
}
