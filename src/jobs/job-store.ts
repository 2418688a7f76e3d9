import { randomBytes } from 'node:crypto';
import type Database from 'better-sqlite3';
import { toJob as fromRow, type JobRow } from '../queue/rows.js';
import type { Db } from '../store/database.js';
import type { Job, JobState, NewJob } from './types.js';

/** Durable jobs. An interface so a shared queue (Redis) can replace SQLite later. */
export interface JobStore {
  create(job: NewJob, now: number): Job;
  get(id: string): Job | undefined;
  /** Queued and running jobs, oldest first. */
  listPending(): Job[];
  update(id: string, changes: Partial<Omit<Job, 'id'>>): Job | undefined;
  countByState(): Record<JobState, number>;
  /** Notes that one of this member's jobs started, with an increasing stamp (fair order keeps it). */
  recordServed(userId: string, stamp: number): void;
  /** Every member's last stamp, so a restart keeps the fair order. */
  servedHistory(): Map<string, number>;
}

const COLUMNS: Record<keyof Omit<Job, 'id'>, keyof JobRow> = {
  kind: 'kind',
  state: 'state',
  userId: 'user_id',
  guildId: 'guild_id',
  channelId: 'channel_id',
  applicationId: 'application_id',
  interactionToken: 'interaction_token',
  tokenExpiresAt: 'token_expires_at',
  params: 'params',
  backend: 'backend',
  serverRef: 'server_ref',
  locale: 'locale',
  attempts: 'attempts',
  error: 'error',
  result: 'result',
  parentId: 'parent_id',
  messageId: 'message_id',
  createdAt: 'created_at',
  startedAt: 'started_at',
  finishedAt: 'finished_at',
};

function toColumnValue(key: keyof Omit<Job, 'id'>, value: unknown): unknown {
  if (key === 'params' || key === 'result') return value === null ? null : JSON.stringify(value);
  return value;
}

/** Short, URL- and custom_id-safe job ids. */
export function newJobId(): string {
  return randomBytes(8).toString('base64url');
}

export function createSqliteJobStore(db: Db): JobStore {
  const insert = db.prepare(
    `INSERT INTO jobs (id, kind, state, user_id, guild_id, channel_id, application_id, interaction_token,
       token_expires_at, params, attempts, parent_id, created_at, locale)
     VALUES (@id, @kind, 'queued', @userId, @guildId, @channelId, @applicationId, @interactionToken,
       @tokenExpiresAt, @params, 0, @parentId, @createdAt, @locale)`,
  );
  const selectOne = db.prepare<[string], JobRow>('SELECT * FROM jobs WHERE id = ?');
  const selectPending = db.prepare<[], JobRow>(
    "SELECT * FROM jobs WHERE state IN ('queued', 'running') ORDER BY created_at, rowid",
  );
  const counts = db.prepare<[], { state: string; n: number }>(
    'SELECT state, COUNT(*) AS n FROM jobs GROUP BY state',
  );
  const updates = new Map<string, Database.Statement<unknown[]>>();
  const served = db.prepare(
    'INSERT INTO served (user_id, stamp) VALUES (?, ?) ON CONFLICT(user_id) DO UPDATE SET stamp = excluded.stamp',
  );
  const history = db.prepare<[], { user_id: string; stamp: number }>('SELECT user_id, stamp FROM served');

  return {
    create(job, now) {
      const id = newJobId();
      insert.run({
        ...job,
        id,
        params: JSON.stringify(job.params),
        createdAt: now,
        locale: job.locale ?? null,
      });
      return fromRow(selectOne.get(id) as JobRow);
    },
    get(id) {
      const row = selectOne.get(id);
      return row === undefined ? undefined : fromRow(row);
    },
    listPending() {
      return selectPending.all().map(fromRow);
    },
    update(id, changes) {
      const keys = (Object.keys(changes) as (keyof Omit<Job, 'id'>)[]).filter((key) => key in COLUMNS);
      if (keys.length > 0) {
        const signature = keys.join(',');
        let statement = updates.get(signature);
        if (statement === undefined) {
          statement = db.prepare(
            `UPDATE jobs SET ${keys.map((key) => `${COLUMNS[key]} = ?`).join(', ')} WHERE id = ?`,
          );
          updates.set(signature, statement);
        }
        statement.run(...keys.map((key) => toColumnValue(key, changes[key])), id);
      }
      const row = selectOne.get(id);
      return row === undefined ? undefined : fromRow(row);
    },
    recordServed(userId, stamp) {
      served.run(userId, stamp);
    },
    servedHistory() {
      return new Map(history.all().map((row) => [row.user_id, row.stamp]));
    },
    countByState() {
      const out: Record<JobState, number> = { queued: 0, running: 0, succeeded: 0, failed: 0, cancelled: 0 };
      for (const row of counts.all()) out[row.state as JobState] = row.n;
      return out;
    },
  };
}
