import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createSqliteJobStore } from '../../src/jobs/job-store.js';
import { createQueueEvents } from '../../src/queue/events.js';
import { createSqliteJobQueue } from '../../src/queue/sqlite-queue.js';
import { type Db, LATEST_SCHEMA_VERSION, openDatabase, schemaVersion } from '../../src/store/database.js';
import { defineJobQueueContract } from './job-queue.contract.js';
import { newJob } from './job-queue-kit.js';

/** A temporary database file; each `open` is another connection to it, sharing the process's events. */
async function sqliteStore() {
  const dir = mkdtempSync(join(tmpdir(), 'job-queue-'));
  const path = join(dir, 'bot.db');
  const events = createQueueEvents();
  const connections: Db[] = [];
  return {
    async open() {
      const db = openDatabase(path);
      connections.push(db);
      return createSqliteJobQueue(db, { events });
    },
    async dispose() {
      for (const db of connections) db.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

defineJobQueueContract('SQLite', sqliteStore);

describe('the SQLite job queue', () => {
  it('adds its lease columns by migration and leaves the JobStore reading the same rows', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'job-queue-'));
    try {
      const db = openDatabase(join(dir, 'bot.db'));
      const columns = db.prepare<[], { name: string }>('PRAGMA table_info(jobs)').all();
      expect(columns.map((column) => column.name)).toEqual(
        expect.arrayContaining([
          'locked_by',
          'locked_at',
          'lease_expires_at',
          'cancel_requested',
          'failed_on',
        ]),
      );
      const result = await createSqliteJobQueue(db).enqueue(
        newJob('A'),
        { maxPendingPerUser: 1, maxQueueLength: 1 },
        5,
      );
      db.close();
      if (!result.ok) throw new Error(`refused: ${result.reason}`);
      // Opening again migrates nothing twice, and the bot's JobStore reads the queue's row.
      const again = openDatabase(join(dir, 'bot.db'));
      expect(schemaVersion(again)).toBe(LATEST_SCHEMA_VERSION);
      expect(createSqliteJobStore(again).get(result.job.id)).toMatchObject({
        state: 'queued',
        userId: 'A',
        createdAt: 5,
      });
      again.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
