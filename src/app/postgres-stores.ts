import pg from 'pg';
import type { ImageStore } from '../jobs/image-store.js';
import type { JobRecords } from '../jobs/job-records.js';
import { createPostgresImageStore } from '../jobs/postgres-image-store.js';
import type { Logger } from '../log.js';
import { createPostgresUsageStore } from '../policy/postgres-usage-store.js';
import type { UsageStore } from '../policy/usage-store.js';
import type { JobQueue } from '../queue/job-queue.js';
import { createPostgresJobQueue } from '../queue/postgres-queue.js';
import { createPostgresJobRecords } from '../queue/postgres-records.js';
import { createPostgresSettingsStore } from '../store/postgres-settings-store.js';
import type { SettingsStore } from '../store/settings-store.js';

/** Everything the bot keeps, in one PostgreSQL database, on one pool. */
export interface PostgresStores {
  queue: JobQueue;
  records: JobRecords;
  settings: SettingsStore;
  usage: UsageStore;
  images: ImageStore;
  /** Closes the stores (settings writes in flight land first), then the queue, then ends the pool. */
  close(): Promise<void>;
}

export interface PostgresStoreOptions {
  connectionString: string;
  /** The pool's connections (DATABASE_POOL_SIZE; pg's default, 10, when unset). */
  poolSize?: number | undefined;
  /** The kept images' folder, which every process must read (shared storage). */
  imageDir: string;
  log: Pick<Logger, 'error'>;
  now: () => number;
  /** This process's WORKER_ID when it runs jobs: held while the queue is open (undefined: a gateway). */
  worker?: { id: string; waitMs: number } | undefined;
}

/**
 * Opens the queue and the three stores on one `pg.Pool` (the schema's migrations run once, under
 * their lock; each factory finds them applied). Loaded only when DATABASE_URL is set, so a bot on
 * SQLite never loads `pg`. On a failure, whatever opened is closed and the pool ended.
 */
export async function openPostgresStores(options: PostgresStoreOptions): Promise<PostgresStores> {
  const pool = new pg.Pool({ connectionString: options.connectionString, max: options.poolSize ?? 10 });
  // An idle client that loses its server emits here; each listener reconnects on its own.
  pool.on('error', () => undefined);
  const closers: (() => Promise<void>)[] = [];
  const closeAll = async () => {
    // The stores first (settings flush their writes), then the queue; the pool last.
    for (const close of closers.reverse()) await close().catch(() => undefined);
    closers.length = 0;
    await pool.end();
  };
  try {
    const queue = await createPostgresJobQueue({
      pool,
      ...(options.worker === undefined ? {} : { worker: options.worker }),
    });
    closers.push(() => queue.close());
    const [settings, usage, images] = await Promise.all([
      createPostgresSettingsStore(pool, { log: options.log, now: options.now }).then((store) => {
        closers.push(() => store.close());
        return store;
      }),
      createPostgresUsageStore(pool),
      createPostgresImageStore(pool, options.imageDir, { log: options.log }).then((store) => {
        closers.push(() => store.close());
        return store;
      }),
    ]);
    return { queue, records: createPostgresJobRecords(pool), settings, usage, images, close: closeAll };
  } catch (error: unknown) {
    await closeAll().catch(() => undefined);
    throw error;
  }
}
