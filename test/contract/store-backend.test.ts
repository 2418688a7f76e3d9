import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStoreBackend } from '../../src/app/store-backend.js';
import { freePort } from '../support/ports.js';
import { startTestPostgres, type TestPostgres } from '../support/postgres.js';
import { slot } from './job-queue-kit.js';

let server: TestPostgres | undefined;
let dir: string;

beforeAll(async () => {
  server = await startTestPostgres();
  dir = mkdtempSync(join(tmpdir(), 'sdbot-store-backend-'));
}, 60_000);

afterAll(async () => {
  await server?.stop();
  rmSync(dir, { recursive: true, force: true });
}, 60_000);

const quiet = { error: () => undefined };

/** The test database's URL, its connections tagged with `name` (pg_stat_activity.application_name). */
function urlNamed(name: string): string {
  if (server === undefined) throw new Error('PostgreSQL did not start (see beforeAll)');
  const url = new URL(server.url);
  url.searchParams.set('application_name', name);
  return url.toString();
}

async function query<T extends pg.QueryResultRow>(sql: string, params: unknown[] = []): Promise<T[]> {
  const client = new pg.Client({ connectionString: urlNamed('test-query') });
  await client.connect();
  try {
    return (await client.query<T>(sql, params)).rows;
  } finally {
    await client.end();
  }
}

const connectionsOf = async (name: string) =>
  Number(
    (
      await query<{ n: string }>('SELECT COUNT(*) AS n FROM pg_stat_activity WHERE application_name = $1', [
        name,
      ])
    )[0]?.n,
  );

const open = (name: string) =>
  openStoreBackend(
    { databasePath: join(dir, `${name}.sqlite`), databaseUrl: urlNamed(name), imageDir: join(dir, 'images') },
    { log: quiet, now: () => 1_000 },
  );

describe('openStoreBackend (DATABASE_URL)', () => {
  it('opens the queue and the stores in PostgreSQL, no SQLite file, and leaves no connection after close', async () => {
    const stores = open('backend-a');
    expect(stores.kind).toBe('postgres');
    await stores.ready;
    // The queue's, the settings' and the image index's listening connections at least.
    expect(await connectionsOf('backend-a')).toBeGreaterThanOrEqual(3);
    const admitted = await stores.usage.admit(
      'g1',
      'u1',
      1_000,
      { cooldownSeconds: 0, hourlyLimit: 0 },
      false,
    );
    expect(admitted.decision.ok).toBe(true);
    await stores.images.save('job-a', [Buffer.from('one')], 1_000);
    expect(stores.images.count('job-a')).toBe(1);
    await stores.close();
    // A server process leaves pg_stat_activity a moment after its client hung up.
    const deadline = Date.now() + 5_000;
    while ((await connectionsOf('backend-a')) > 0 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(await connectionsOf('backend-a')).toBe(0);
    expect(await query('SELECT user_id FROM usage')).toEqual([{ user_id: 'u1' }]);
    expect(await query('SELECT job_id, idx FROM image_files')).toEqual([{ job_id: 'job-a', idx: 0 }]);
    expect(existsSync(join(dir, 'backend-a.sqlite'))).toBe(false);
  });

  it('opens no more pooled connections than DATABASE_POOL_SIZE, however many steps wait', async () => {
    const stores = openStoreBackend(
      {
        databasePath: join(dir, 'backend-pool.sqlite'),
        databaseUrl: urlNamed('backend-pool'),
        databasePoolSize: 2,
        imageDir: join(dir, 'images'),
      },
      { log: quiet, now: () => 1_000 },
    );
    await stores.ready;
    // Every claim for backend x waits on that backend's lock, held here: each holds a pooled
    // connection meanwhile. (Enqueues would not: one process sends them one batch at a time.)
    const holder = new pg.Client({ connectionString: urlNamed('test-holder') });
    await holder.connect();
    try {
      await holder.query("SELECT pg_advisory_lock(723605191, hashtext('x'))");
      const claims = Array.from({ length: 6 }, (_, index) =>
        stores.jobs.queue.claim(slot('w1', index, { capacity: 1 })),
      );
      const waiting = async () =>
        Number(
          (
            await query<{ n: string }>(
              "SELECT COUNT(*) AS n FROM pg_locks WHERE locktype = 'advisory' AND NOT granted",
            )
          )[0]?.n,
        );
      const deadline = Date.now() + 5_000;
      while ((await waiting()) < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(await waiting()).toBe(2);
      // Three listening (the queue's, the settings', the image index's) and the pool's two.
      expect(await connectionsOf('backend-pool')).toBe(3 + 2);
      await holder.query("SELECT pg_advisory_unlock(723605191, hashtext('x'))");
      // The line is empty: each claim, let through in turn, takes nothing.
      expect(await Promise.all(claims)).toEqual(Array.from({ length: 6 }, () => undefined));
    } finally {
      await holder.end();
      await stores.close();
    }
  });

  it('writes a setting changed just before close to the database before the pool ends', async () => {
    const stores = open('backend-b');
    await stores.ready;
    stores.settings.setValue('last-words', 'kept');
    stores.settings.setDefaultModel('g2', 'model-x');
    await stores.close();
    expect(await query("SELECT value FROM kv WHERE key = 'last-words'")).toEqual([{ value: 'kept' }]);
    const again = open('backend-c');
    await again.ready;
    expect(again.settings.get('g2').defaultModel).toBe('model-x');
    await again.close();
  });

  it('rejects `ready` when PostgreSQL is unreachable, refuses synchronous reads meanwhile, and closes quietly', async () => {
    const port = await freePort();
    const stores = openStoreBackend(
      {
        databasePath: join(dir, 'never.sqlite'),
        databaseUrl: `postgres://bot:pw@127.0.0.1:${port}/sdbot`,
        imageDir: join(dir, 'never-images'),
      },
      { log: quiet, now: () => 1_000 },
    );
    expect(() => stores.settings.get('g1')).toThrow(/not open yet/);
    await expect(stores.ready).rejects.toThrow(/ECONNREFUSED/);
    await expect(stores.jobs.ready).rejects.toThrow(/ECONNREFUSED/);
    await expect(
      stores.usage.admit('g1', 'u1', 1, { cooldownSeconds: 0, hourlyLimit: 0 }, false),
    ).rejects.toThrow();
    await expect(stores.close()).resolves.toBeUndefined();
  });
});
