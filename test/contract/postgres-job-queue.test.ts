import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migratePostgres, POSTGRES_MIGRATIONS } from '../../src/queue/postgres-migrations.js';
import { createPostgresJobQueue } from '../../src/queue/postgres-queue.js';
import { startTestPostgres, type TestPostgres } from '../support/postgres.js';
import { defineJobQueueContract } from './job-queue.contract.js';
import { add, slot } from './job-queue-kit.js';

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

const url = () => {
  if (server === undefined) throw new Error('PostgreSQL did not start (see beforeAll)');
  return server.url;
};

/** The file's database, emptied for each test; each `open` is its own pool and listener (another process). */
async function postgresStore() {
  await admin?.query('TRUNCATE jobs, served; ALTER SEQUENCE served_stamp RESTART');
  return {
    open: () => createPostgresJobQueue({ connectionString: url() }),
    async dispose() {},
  };
}

defineJobQueueContract('PostgreSQL', postgresStore);

describe('the PostgreSQL job queue', () => {
  it('applies each migration once, in order, even when two processes migrate at once', async () => {
    const pools = [0, 1].map(() => new pg.Pool({ connectionString: url(), max: 1 }));
    try {
      // The file's beforeAll migrated already: nothing is left to apply, from either pool at once.
      expect(await Promise.all(pools.map((pool) => migratePostgres(pool)))).toEqual([[], []]);
      const { rows } = await (pools[0] as pg.Pool).query<{ version: number }>(
        'SELECT version FROM schema_migrations ORDER BY version',
      );
      expect(rows.map((row) => row.version)).toEqual(POSTGRES_MIGRATIONS.map((_, index) => index + 1));
    } finally {
      await Promise.all(pools.map((pool) => pool.end()));
    }
  });

  it('migrates a new database from two processes at once without a clash', async () => {
    const name = `m_${Date.now().toString(36)}`;
    await admin?.query(`CREATE DATABASE ${name}`);
    const target = new URL(url());
    target.pathname = `/${name}`;
    const pools = [0, 1].map(() => new pg.Pool({ connectionString: target.toString(), max: 1 }));
    try {
      const extra = 'CREATE TABLE later (id INTEGER)';
      const applied = await Promise.all(pools.map((pool) => migratePostgres(pool)));
      expect(applied.flat().sort()).toEqual([1]);
      // An appended version is applied once, later, and the earlier ones are left alone.
      expect(await migratePostgres(pools[0] as pg.Pool, [...POSTGRES_MIGRATIONS, extra])).toEqual([2]);
      expect(await migratePostgres(pools[1] as pg.Pool, [...POSTGRES_MIGRATIONS, extra])).toEqual([]);
    } finally {
      await Promise.all(pools.map((pool) => pool.end()));
      await admin?.query(`DROP DATABASE ${name} WITH (FORCE)`);
    }
  });

  it('stores times as BIGINT milliseconds and reads them back as numbers', async () => {
    const queue = await createPostgresJobQueue({ connectionString: url() });
    try {
      const id = await add(queue, 'A', 1_764_000_000_123);
      const job = await queue.claim(slot('w1', 1_764_000_000_456, { leaseMs: 30_000 }));
      expect(job).toMatchObject({ id, createdAt: 1_764_000_000_123, startedAt: 1_764_000_000_456 });
      expect(job?.leaseExpiresAt).toBe(1_764_000_030_456);
      expect(job?.tokenExpiresAt).toBe(Number.MAX_SAFE_INTEGER);
    } finally {
      await queue.close();
    }
  });
});
