import type pg from 'pg';
import type { JobNotes, JobRecords } from '../jobs/job-records.js';
import { type JobRow, toQueueJob } from './rows.js';

const COLUMNS: Record<keyof JobNotes, string> = {
  messageId: 'message_id',
  interactionToken: 'interaction_token',
  serverRef: 'server_ref',
};

/** The job records in the queue's PostgreSQL database (the same `jobs` rows the queue moves on). */
export function createPostgresJobRecords(pool: pg.Pool): JobRecords {
  return {
    async get(id) {
      const { rows } = await pool.query<JobRow>('SELECT * FROM jobs WHERE id = $1', [id]);
      if (rows[0] === undefined) return undefined;
      const { lockedBy, lockedAt, leaseExpiresAt, cancelRequested, failedOn, ...job } = toQueueJob(rows[0]);
      return job;
    },
    async update(id, changes) {
      const keys = (Object.keys(changes) as (keyof JobNotes)[]).filter((key) => key in COLUMNS);
      if (keys.length === 0) return;
      const sets = keys.map((key, index) => `${COLUMNS[key]} = $${index + 2}`);
      await pool.query(`UPDATE jobs SET ${sets.join(', ')} WHERE id = $1`, [
        id,
        ...keys.map((key) => changes[key] ?? null),
      ]);
    },
  };
}
