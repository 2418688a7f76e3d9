import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { createSqliteJobStore } from '../../src/jobs/job-store.js';
import { createQueueEvents } from '../../src/queue/events.js';
import { createSqliteJobQueue } from '../../src/queue/sqlite-queue.js';
import { type Db, LATEST_SCHEMA_VERSION, openDatabase, schemaVersion } from '../../src/store/database.js';
import { EXIT_WITH_PARENT } from '../support/bot-process.js';
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

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const TSX_LOADER = pathToFileURL(join(ROOT, 'node_modules/tsx/dist/loader.mjs')).href;

interface Enqueuer {
  ready: Promise<void>;
  go(): void;
  admitted: Promise<number>;
}

/** Starts test/support/sqlite-enqueuer.ts in its own process; it enqueues once told to `go`. */
function startEnqueuer(path: string, count: number, cap: number): Enqueuer {
  const script = join(ROOT, 'test/support/sqlite-enqueuer.ts');
  const args = [
    '--import',
    EXIT_WITH_PARENT,
    '--import',
    TSX_LOADER,
    script,
    path,
    'A',
    String(count),
    String(cap),
  ];
  const child = spawn(process.execPath, args, { cwd: ROOT, stdio: ['pipe', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  let signalReady = () => {};
  const ready = new Promise<void>((resolve) => {
    signalReady = resolve;
  });
  child.stdout.on('data', (chunk: Buffer) => {
    out += chunk.toString();
    if (out.startsWith('ready\n')) signalReady();
  });
  child.stderr.on('data', (chunk: Buffer) => {
    err += chunk.toString();
  });
  const admitted = new Promise<number>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) reject(new Error(`the enqueuing process exited with ${code}: ${err}`));
      else resolve((JSON.parse(out.slice('ready\n'.length)) as { admitted: number }).admitted);
    });
  });
  return {
    ready: Promise.race([ready, admitted.then(() => undefined)]),
    go: () => child.stdin.write('go\n'),
    admitted,
  };
}

describe('the SQLite job queue', () => {
  it('admits exactly the member’s cap when two processes enqueue 40 jobs each on one file at once', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'job-queue-'));
    try {
      const path = join(dir, 'bot.db');
      openDatabase(path).close();
      const processes = [0, 1].map(() => startEnqueuer(path, 40, 25));
      await Promise.all(processes.map((enqueuer) => enqueuer.ready));
      for (const enqueuer of processes) enqueuer.go();
      const admitted = await Promise.all(processes.map((enqueuer) => enqueuer.admitted));
      expect(admitted.reduce((sum, count) => sum + count, 0)).toBe(25);
      const db = openDatabase(path);
      expect(await createSqliteJobQueue(db).line()).toHaveLength(25);
      db.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('reads the line again after any write to the file, its own steps’ or not', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'job-queue-'));
    try {
      const path = join(dir, 'bot.db');
      const db = openDatabase(path);
      const queue = createSqliteJobQueue(db);
      const limits = { maxPendingPerUser: 5, maxQueueLength: 5 };
      const first = await queue.enqueue(newJob('A'), limits, 1);
      if (!first.ok) throw new Error(`refused: ${first.reason}`);
      expect((await queue.line()).map((job) => job.messageId)).toEqual([null]);
      // The delivery side writes through the JobStore on the same connection, outside the queue.
      createSqliteJobStore(db).update(first.job.id, { messageId: 'c1/m1' });
      expect((await queue.line()).map((job) => job.messageId)).toEqual(['c1/m1']);
      // Another connection (another process on the file) enqueues.
      const other = openDatabase(path);
      await createSqliteJobQueue(other).enqueue(newJob('B'), limits, 2);
      other.close();
      expect((await queue.line()).map((job) => job.userId)).toEqual(['A', 'B']);
      db.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

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
