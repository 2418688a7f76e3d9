import pg from 'pg';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { migratePostgres, POSTGRES_MIGRATIONS } from '../../src/queue/postgres-migrations.js';
import { createPostgresJobQueue } from '../../src/queue/postgres-queue.js';
import { startTestPostgres, type TestPostgres } from '../support/postgres.js';
import { defineJobQueueContract } from './job-queue.contract.js';
import { add, newJob, nextEvent, slot } from './job-queue-kit.js';

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

/** A pool for a test; a client it ends as its database is dropped may report that, harmlessly. */
const testPool = (connectionString: string) => {
  const pool = new pg.Pool({ connectionString, max: 1 });
  pool.on('error', () => undefined);
  return pool;
};

describe('the PostgreSQL job queue', () => {
  beforeEach(async () => {
    await postgresStore();
  });

  it('applies each migration once, in order, even when two processes migrate at once', async () => {
    const pools = [0, 1].map(() => testPool(url()));
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
    const pools = [0, 1].map(() => testPool(target.toString()));
    try {
      const extra = 'CREATE TABLE later (id INTEGER)';
      const applied = await Promise.all(pools.map((pool) => migratePostgres(pool)));
      const versions = POSTGRES_MIGRATIONS.map((_, index) => index + 1);
      expect(applied.flat().sort((a, b) => a - b)).toEqual(versions);
      // Each version came from one of the two processes, all from the one that took the lock first.
      expect(applied.map((some) => some.length).sort()).toEqual([0, versions.length]);
      // An appended version is applied once, later, and the earlier ones are left alone.
      expect(await migratePostgres(pools[0] as pg.Pool, [...POSTGRES_MIGRATIONS, extra])).toEqual([
        versions.length + 1,
      ]);
      expect(await migratePostgres(pools[1] as pg.Pool, [...POSTGRES_MIGRATIONS, extra])).toEqual([]);
    } finally {
      await Promise.all(pools.map((pool) => pool.end()));
      await admin?.query(`DROP DATABASE ${name} WITH (FORCE)`);
    }
  });

  it('listens again after its LISTEN connection is cut, and hears the next enqueue', async () => {
    const [front, worker] = [
      await createPostgresJobQueue({ connectionString: url() }),
      await createPostgresJobQueue({ connectionString: url() }),
    ];
    try {
      const listening = async () =>
        (
          await admin?.query<{ pid: number }>(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND query LIKE 'LISTEN%'",
          )
        )?.rows.map((row) => row.pid) ?? [];
      const before = await listening();
      expect(before).toHaveLength(2);
      // As a server restart would: the server ends both LISTEN connections.
      await admin?.query('SELECT pg_terminate_backend(pid) FROM unnest($1::int[]) AS pid', [before]);
      for (
        let waited = 0;
        (await listening()).filter((pid) => !before.includes(pid)).length < 2;
        waited += 100
      ) {
        if (waited > 5_000) throw new Error('the listeners did not come back within 5 s');
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      const heard = nextEvent(worker, (event) => event.type === 'enqueued');
      const id = await add(front, 'A', 0);
      expect(await heard).toEqual({ type: 'enqueued', jobId: id });
    } finally {
      await Promise.all([front.close(), worker.close()]);
    }
  });

  it('admits the rest of a burst when the database refuses one of its jobs, which alone fails', async () => {
    const queue = await createPostgresJobQueue({ connectionString: url() });
    try {
      const limits = { maxPendingPerUser: 10, maxQueueLength: 100 };
      const refused = newJob('B');
      // jsonb takes no \u0000 ("unsupported Unicode escape sequence"): the statement fails on the server.
      refused.params = { ...refused.params, prompt: 'a \u0000 b' };
      const jobs = [newJob('A'), newJob('A'), refused, newJob('C')];
      const results = await Promise.allSettled(jobs.map((job, index) => queue.enqueue(job, limits, index)));
      expect(results.map((result) => result.status)).toEqual([
        'fulfilled',
        'fulfilled',
        'rejected',
        'fulfilled',
      ]);
      expect(String((results[2] as PromiseRejectedResult).reason)).toContain('Unicode');
      const admitted = results.flatMap((result) =>
        result.status === 'fulfilled' && result.value.ok ? [result.value.job.id] : [],
      );
      expect(admitted).toHaveLength(3);
      // Still in the order sent, each in its place.
      expect((await queue.line()).map((job) => job.id)).toEqual([admitted[0], admitted[2], admitted[1]]);
    } finally {
      await queue.close();
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

describe('a WORKER_ID on the PostgreSQL queue', () => {
  const opened: { close(): Promise<void> }[] = [];
  const open = async (id: string, waitMs: number) => {
    const queue = await createPostgresJobQueue({ connectionString: url(), worker: { id, waitMs } });
    opened.push(queue);
    return queue;
  };
  const close = async (queue: { close(): Promise<void> }) => {
    opened.splice(opened.indexOf(queue), 1);
    await queue.close();
  };

  beforeEach(async () => {
    await Promise.all(opened.splice(0).map((queue) => queue.close()));
  });
  afterAll(async () => {
    await Promise.all(opened.splice(0).map((queue) => queue.close()));
  });

  it('is held by one live process: a second one with the same id is refused, saying why', async () => {
    await open('host-a', 0);
    const started = Date.now();
    await expect(open('host-a', 300)).rejects.toThrow(
      /WORKER_ID "host-a" is in use by another process on this database.*give each bot process its own WORKER_ID/,
    );
    expect(Date.now() - started).toBeGreaterThanOrEqual(250);
    // Another id is no one's.
    await open('host-b', 0);
  });

  it('is free again once its holder closed, and a waiting process takes it then', async () => {
    const first = await open('host-c', 0);
    const waiting = open('host-c', 10_000);
    await new Promise((resolve) => setTimeout(resolve, 300));
    await close(first);
    await expect(waiting).resolves.toBeDefined();
  });

  it('is free at once when its holder’s connection dies (a killed process)', async () => {
    await open('host-d', 0);
    // What the server sees when a process is SIGKILLed: its sessions end.
    await admin?.query(
      `SELECT pg_terminate_backend(pid) FROM pg_locks
       WHERE locktype = 'advisory' AND classid = 723605192 AND objid = hashtext('host-d')::oid`,
    );
    await open('host-d', 3_000);
  });
});
