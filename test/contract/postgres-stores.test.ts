import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startImageIndex } from '../../src/jobs/postgres-image-index.js';
import { createPostgresImageStore } from '../../src/jobs/postgres-image-store.js';
import { createLogger } from '../../src/log.js';
import { createPostgresUsageStore, USAGE_LOCK_SPACE } from '../../src/policy/postgres-usage-store.js';
import { migratePostgres } from '../../src/queue/postgres-migrations.js';
import {
  createPostgresSettingsStore,
  type PostgresSettingsStore,
} from '../../src/store/postgres-settings-store.js';
import { startTestPostgres, type TestPostgres } from '../support/postgres.js';
import { defineImageStoreContract } from './image-store.contract.js';
import { defineSettingsStoreContract } from './settings-store.contract.js';
import { eventually, IMG2IMG_PARAMS, type OpenedStores, type SharedStore } from './stores-kit.js';
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
type PostgresProcess = OpenedStores & { settings: PostgresSettingsStore };

async function openProcess(url: string, imageDir: string): Promise<PostgresProcess> {
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

type PostgresStore = Omit<SharedStore, 'open'> & { open(): Promise<PostgresProcess> };

/** The file's database, emptied for each test, and a fresh image folder. */
async function postgresStore(): Promise<PostgresStore> {
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

describe('the PostgreSQL stores', () => {
  let store: PostgresStore | undefined;
  const opened: OpenedStores[] = [];
  beforeEach(async () => {
    store = await postgresStore();
  });
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((stores) => stores.close()));
    await store?.dispose();
  });
  const open = async () => {
    if (store === undefined) throw new Error('the store is made in beforeEach');
    const stores = await store.open();
    opened.push(stores);
    return stores;
  };

  it('keeps a setting the database refused in this process only, logs it, and flush rejects', async () => {
    const [one, two] = [await open(), await open()];
    const { settings } = one;
    // PostgreSQL text cannot hold NUL: the write fails on the server.
    settings.setValue('k', 'a\u0000b');
    settings.setValue('other', 'fine');
    await expect(settings.flush()).rejects.toThrow();
    expect(settings.getValue('k')).toBe('a\u0000b');
    await eventually(() => expect(two.settings.getValue('other')).toBe('fine'));
    expect(two.settings.getValue('k')).toBeUndefined();
    expect(failures.splice(0).map((line) => JSON.parse(line).msg)).toEqual([
      'saving a setting failed; kept in this process only',
    ]);
    await expect(settings.flush()).resolves.toBeUndefined();
  });

  it('reads settings and the image index again after its LISTEN connections were cut', async () => {
    const { admin } = connection();
    const [one, two] = [await open(), await open()];
    const listening = async () =>
      (
        await admin.query<{ pid: number }>(
          "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND query LIKE 'LISTEN%'",
        )
      ).rows.map((row) => row.pid);
    const before = await listening();
    expect(before).toHaveLength(4);
    // As a server restart would: the server ends every LISTEN connection; changes made before they
    // are back are heard by nobody.
    await admin.query('SELECT pg_terminate_backend(pid) FROM unnest($1::int[]) AS pid', [before]);
    await eventually(async () =>
      expect((await listening()).filter((pid) => before.includes(pid))).toEqual([]),
    );
    one.settings.setDefaultModel('g1', 'flux');
    await one.settings.flush();
    await one.images.save('job', [Buffer.from('a')], 1);
    await eventually(() => {
      expect(two.settings.get('g1').defaultModel).toBe('flux');
      expect(two.images.count('job')).toBe(1);
    });
    // And they listen again: the next change arrives as a notification.
    await eventually(async () => expect(await listening()).toHaveLength(4));
    await one.images.remove('job');
    await eventually(() => expect(two.images.count('job')).toBe(0));
  });

  it('keeps a later process’s change when its own NOTIFY was heard before its commit came back', async () => {
    const { url } = connection();
    const [poolA, poolB] = [new pg.Pool({ connectionString: url }), new pg.Pool({ connectionString: url })];
    const a = await startImageIndex(poolA, 'index_order', strictLog);
    const b = await startImageIndex(poolB, 'index_order', strictLog);
    try {
      const heard = () => new Promise((resolve) => setTimeout(resolve, 150));
      await a.commit({ type: 'saved', jobId: 'job', count: 2, createdAt: 1 }, async (notify) => {
        await poolA.query('SELECT pg_notify($1, $2)', notify);
        await heard();
        // Another process removes the job after A's commit, before A's reply is handled.
        await b.commit({ type: 'removed', jobId: 'job' }, (other) =>
          poolB.query('SELECT pg_notify($1, $2)', other),
        );
        await heard();
      });
      expect(a.count('job')).toBe(0);
      expect(b.count('job')).toBe(0);
    } finally {
      await Promise.all([a.close(), b.close()]);
      await Promise.all([poolA.end(), poolB.end()]);
    }
  });

  it('admits for another server while one server’s quota lock is held', async () => {
    const { admin } = connection();
    const { usage } = await open();
    const limits = { cooldownSeconds: 0, hourlyLimit: 1 };
    await admin.query('BEGIN');
    try {
      await admin.query('SELECT pg_advisory_xact_lock($1, hashtext($2))', [USAGE_LOCK_SPACE, 'g1']);
      let g1Done = false;
      const g1 = usage.admit('g1', 'alice', 1, limits, false).then((reservation) => {
        g1Done = true;
        return reservation;
      });
      expect((await usage.admit('g2', 'bob', 1, limits, false)).decision.ok).toBe(true);
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(g1Done).toBe(false);
      await admin.query('COMMIT');
      expect((await g1).decision.ok).toBe(true);
    } finally {
      await admin.query('ROLLBACK').catch(() => undefined);
    }
  });
});
