import type { Config } from '../config.js';
import { createFileImageStore, type ImageStore } from '../jobs/image-store.js';
import type { Logger } from '../log.js';
import { createSqliteUsageStore, type UsageStore } from '../policy/usage-store.js';
import { openDatabase } from '../store/database.js';
import { createSqliteSettingsStore, type SettingsStore } from '../store/settings-store.js';
import type { PostgresStores } from './postgres-stores.js';
import { deferQueueBackend, openSqliteQueueBackend, type QueueBackend } from './queue-backend.js';

/** Where the bot keeps everything: the job queue, the settings, the quotas' usage, the kept images' index. */
export interface StoreBackend {
  kind: 'sqlite' | 'postgres';
  jobs: QueueBackend;
  settings: SettingsStore;
  usage: UsageStore;
  images: ImageStore;
  /** Rejects when the database cannot be opened (start-up awaits it before logging in). */
  ready: Promise<void>;
  /** Closes the stores and the queue, then the database (file or pool). */
  close(): Promise<void>;
}

/**
 * Everything in the SQLite file (DATABASE_PATH), or with DATABASE_URL everything in PostgreSQL on
 * one pool (`openPostgresStores`, whose module and `pg` load only then; no SQLite file is opened).
 * The PostgreSQL stores open in the background, so the app is still built synchronously: the
 * asynchronous calls wait for them; the synchronous ones (settings, an image count) are only made
 * once `ready` settled, as start-up awaits it before anything can ask.
 */
export function openStoreBackend(
  config: Pick<Config, 'databasePath' | 'databaseUrl' | 'imageDir'> &
    Partial<Pick<Config, 'databasePoolSize'>>,
  deps: {
    log: Pick<Logger, 'error'>;
    now: () => number;
    /**
     * The WORKER_ID of a process that runs jobs, held on a shared queue (undefined: a gateway), and
     * how long a start waits for a holder that is going away.
     */
    worker?: { id: string; waitMs: number } | undefined;
  },
): StoreBackend {
  if (config.databaseUrl === undefined) {
    const db = openDatabase(config.databasePath);
    const settings = createSqliteSettingsStore(db, deps.now);
    const jobs = openSqliteQueueBackend(db);
    const images = createFileImageStore(db, config.imageDir);
    return {
      kind: 'sqlite',
      jobs,
      settings,
      usage: createSqliteUsageStore(db),
      images,
      ready: jobs.ready,
      async close() {
        await jobs.close();
        db.close();
      },
    };
  }
  const connectionString = config.databaseUrl;
  const opening = import('./postgres-stores.js').then((module) =>
    module.openPostgresStores({
      connectionString,
      poolSize: config.databasePoolSize,
      imageDir: config.imageDir,
      log: deps.log,
      now: deps.now,
      worker: deps.worker,
    }),
  );
  let opened: PostgresStores | undefined;
  const ready = opening.then((stores) => {
    opened = stores;
  });
  // Failures surface through `ready` (and each call); this copy only keeps them from going unhandled.
  ready.catch(() => undefined);
  const open = (): PostgresStores => {
    if (opened === undefined) throw new Error('the PostgreSQL stores are not open yet (await `ready`)');
    return opened;
  };
  return {
    kind: 'postgres',
    // The queue closes with the stores, on their pool.
    jobs: deferQueueBackend(
      opening.then(({ queue, records }) => ({ queue, records, close: async () => undefined })),
    ),
    settings: deferSettings(open),
    usage: { admit: async (...request) => (await opening).usage.admit(...request) },
    images: deferImages(opening, open),
    ready,
    close: () =>
      opening.then(
        (stores) => stores.close(),
        () => undefined,
      ),
  };
}

/** The settings once open: they answer from memory, synchronously. */
function deferSettings(open: () => PostgresStores): SettingsStore {
  return {
    get: (guildId) => open().settings.get(guildId),
    setDefaultModel: (guildId, model) => open().settings.setDefaultModel(guildId, model),
    getPolicyJson: (guildId) => open().settings.getPolicyJson(guildId),
    setPolicyJson: (guildId, json) => open().settings.setPolicyJson(guildId, json),
    getValue: (key) => open().settings.getValue(key),
    setValue: (key, value) => open().settings.setValue(key, value),
  };
}

/** The kept images once open: every call but the synchronous count waits for them. */
function deferImages(opening: Promise<PostgresStores>, open: () => PostgresStores): ImageStore {
  return {
    save: async (jobId, images, now) => (await opening).images.save(jobId, images, now),
    get: async (jobId, index) => (await opening).images.get(jobId, index),
    count: (jobId) => open().images.count(jobId),
    remove: async (jobId) => (await opening).images.remove(jobId),
    pruneBefore: async (cutoff) => (await opening).images.pruneBefore(cutoff),
  };
}
