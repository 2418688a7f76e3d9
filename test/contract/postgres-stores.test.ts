import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll } from 'vitest';
import { createPostgresImageStore } from '../../src/jobs/postgres-image-store.js';
import { createLogger } from '../../src/log.js';
import { createPostgresUsageStore } from '../../src/policy/postgres-usage-store.js';
import { migratePostgres } from '../../src/queue/postgres-migrations.js';
import { createPostgresSettingsStore } from '../../src/store/postgres-settings-store.js';
import { startTestPostgres, type TestPostgres } from '../support/postgres.js';
import { defineImageStoreContract } from './image-store.contract.js';
import { defineSettingsStoreContract } from './settings-store.contract.js';
import { IMG2IMG_PARAMS, type OpenedStores, type SharedStore } from './stores-kit.js';
import { defineUsageStoreContract } from './usage-store.contract.js';

let server: TestPostgres | undefined;
/** One connection (not a pool: its `end` waits until the socket is closed, before the database goes). */
let admin: pg.Client | undefined;

beforeAll(async () => {
  server = await startTestPostgres();
  admin = new pg.Client({ connectionString: server.url });
  await admin.connect();
  const pool = new pg.Pool({ connectionString: server.url, max: 1 });
  await migratePostgres(pool).finally(() => pool.end());
}, 60_000);

afterAll(async () => {
  await admin?.end();
  await server?.stop();
}, 60_000);

const connection = () => {
  if (server === undefined || admin === undefined)
    throw new Error('PostgreSQL did not start (see beforeAll)');
  return { url: server.url, admin };
};

/** What the stores logged at error level: a test ends failed when any write or read failed unexpectedly. */
const failures: string[] = [];
const strictLog = createLogger({
  level: 'error',
  destination: { write: (line: string) => failures.push(line) },
});

/** One process: its own pool and its stores' own LISTEN connections, on the file's database. */
async function openProcess(url: string, imageDir: string): Promise<OpenedStores> {
  const pool = new pg.Pool({ connectionString: url, max: 4 });
  pool.on('error', () => undefined);
  const settings = await createPostgresSettingsStore(pool, { log: strictLog });
  const usage = await createPostgresUsageStore(pool);
  const images = await createPostgresImageStore(pool, imageDir, { log: strictLog });
  let closing: Promise<void> | undefined;
  return {
    settings,
    usage,
    images,
    close() {
      closing ??= (async () => {
        await Promise.all([settings.close(), images.close()]);
        await pool.end();
      })();
      return closing;
    },
  };
}

/** The file's database, emptied for each test, and a fresh image folder. */
async function postgresStore(): Promise<SharedStore> {
  const { url, admin } = connection();
  await admin.query('TRUNCATE guild_settings, kv, usage, image_files, jobs');
  failures.splice(0);
  const dir = mkdtempSync(join(tmpdir(), 'pg-stores-'));
  const imageDir = join(dir, 'images');
  let jobs = 0;
  return {
    open: () => openProcess(url, imageDir),
    async addFinishedJob(finishedAt) {
      jobs += 1;
      const id = `job_${jobs}`;
      await admin.query(
        `INSERT INTO jobs (id, kind, state, user_id, guild_id, channel_id, application_id, token_expires_at,
           params, created_at, finished_at)
         VALUES ($1, 'img2img', 'succeeded', 'u', 'g', 'c', 'a', 1000, $2::jsonb, 1, $3)`,
        [id, JSON.stringify(IMG2IMG_PARAMS), finishedAt],
      );
      return id;
    },
    async initImageOf(jobId) {
      const { rows } = await admin.query<{ init: string | null }>(
        "SELECT params->>'initImage' AS init FROM jobs WHERE id = $1",
        [jobId],
      );
      return rows[0]?.init ?? undefined;
    },
    files: () => readdirSync(imageDir).sort(),
    async dispose() {
      rmSync(dir, { recursive: true, force: true });
      if (failures.length > 0) throw new Error(`a store logged a failure: ${failures.join('; ')}`);
    },
  };
}

defineSettingsStoreContract('PostgreSQL', postgresStore);
defineUsageStoreContract('PostgreSQL', postgresStore);
defineImageStoreContract('PostgreSQL', postgresStore);
