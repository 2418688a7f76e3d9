import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createSqliteJobStore } from '../../src/jobs/job-store.js';
import type { JobQueue } from '../../src/queue/job-queue.js';
import { createSqliteJobQueue } from '../../src/queue/sqlite-queue.js';
import { type Db, openDatabase } from '../../src/store/database.js';
import { createRandom } from '../unit/seeded-random.js';
import { LIMITS, newJob, RESULT, slot } from './job-queue-kit.js';

const dirs: string[] = [];
const dbs: Db[] = [];
afterEach(() => {
  for (const db of dbs.splice(0)) db.close();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function openFile() {
  const dir = mkdtempSync(join(tmpdir(), 'sqlite-line-'));
  dirs.push(dir);
  const path = join(dir, 'bot.db');
  return () => {
    const db = openDatabase(path);
    dbs.push(db);
    return db;
  };
}

const ids = async (queue: JobQueue) => (await queue.line()).map((job) => job.id);

/**
 * The SQLite queue keeps its line between reads and edits it with its own steps (src/queue/sqlite-line.ts).
 * Whatever happens, and whoever does it, what it answers must be what a connection that reads the
 * file afresh answers.
 */
describe('the line a SQLite queue keeps', () => {
  for (const seed of [1, 2, 3, 4, 5, 6]) {
    it(`equals a fresh read after every step, its own and others' (seed ${seed})`, async () => {
      const { next } = createRandom(seed);
      const pick = <T>(items: readonly T[]): T | undefined => items[Math.floor(next() * items.length)];
      const open = openFile();
      const mine = open();
      const queue = createSqliteJobQueue(mine);
      // Another process on the same file, and another module on this connection.
      const other = createSqliteJobQueue(open());
      const store = createSqliteJobStore(mine);
      let now = 1_000;
      for (let step = 0; step < 150; step++) {
        now += 1 + Math.floor(next() * 3);
        const actor = next() < 0.8 ? queue : other;
        const roll = next();
        const running = await queue.running();
        const line = await queue.line();
        if (roll < 0.35) {
          const result = await actor.enqueue(newJob(`u${Math.floor(next() * 5)}`), LIMITS, now);
          expect(result.ok).toBe(true);
        } else if (roll < 0.55) {
          await actor.claim({ ...slot(actor === queue ? 'w1' : 'w2', now), backendId: `b${step % 3}` });
        } else if (roll < 0.7) {
          const job = pick(running);
          if (job?.lockedBy === 'w1') await queue.complete(job.id, 'w1', RESULT, now);
          else if (job?.lockedBy === 'w2') await other.fail(job.id, 'w2', 'broken', now);
        } else if (roll < 0.78) {
          const job = pick(running.filter((held) => held.lockedBy === 'w1'));
          if (job !== undefined) await queue.retry(job.id, 'w1', job.backend, now);
        } else if (roll < 0.86) {
          const job = pick(line);
          if (job !== undefined) await actor.cancel(job.id, now);
        } else if (roll < 0.93) {
          // A reply moved while its job waits: another module writes the row.
          const job = pick(line);
          if (job !== undefined)
            store.update(job.id, { messageId: `m${step}`, interactionToken: `t${step}` });
        } else {
          await queue.recoverStalled(now + 120_000);
        }
        const db = open();
        const fresh = createSqliteJobQueue(db);
        expect(await ids(queue), `after step ${step}`).toEqual(await ids(fresh));
        expect(await queue.line()).toEqual(await fresh.line());
        await fresh.close();
        db.close();
        dbs.splice(dbs.indexOf(db), 1);
      }
    });
  }

  it('answers an enqueue with the place a fresh read gives', async () => {
    const open = openFile();
    const queue = createSqliteJobQueue(open());
    const fresh = createSqliteJobQueue(open());
    for (let i = 0; i < 12; i++) {
      const result = await queue.enqueue(newJob(`u${i % 3}`), LIMITS, 1_000 + i);
      if (!result.ok) throw new Error('refused');
      expect({ position: result.position, total: result.total }).toEqual(await fresh.position(result.job.id));
      if (i % 4 === 3) await queue.claim(slot('w1', 2_000 + i));
    }
  });
});
