import type { GenerationParams } from '../generation/request.js';
import type { Job, JobResult, JobState } from '../jobs/types.js';
import type { QueueJob } from './job-queue.js';

/**
 * A `jobs` row as either database hands it back: SQLite gives numbers, 0/1 and JSON text;
 * PostgreSQL gives BIGINT as a string, booleans, and jsonb already parsed.
 */
export interface JobRow {
  id: string;
  kind: string;
  state: string;
  user_id: string;
  guild_id: string | null;
  channel_id: string;
  application_id: string;
  interaction_token: string | null;
  token_expires_at: number | string;
  params: unknown;
  backend: string | null;
  server_ref: string | null;
  locale: string | null;
  attempts: number | string;
  error: string | null;
  result: unknown;
  parent_id: string | null;
  message_id: string | null;
  created_at: number | string;
  started_at: number | string | null;
  finished_at: number | string | null;
  locked_by: string | null;
  locked_at: number | string | null;
  lease_expires_at: number | string | null;
  cancel_requested: number | boolean;
  failed_on: string | null;
}

const time = (value: number | string | null): number | null => (value === null ? null : Number(value));
const json = (value: unknown): unknown => (typeof value === 'string' ? JSON.parse(value) : value);

/** The job itself, as every caller sees it (both databases, and the SQLite JobStore). */
export function toJob(row: JobRow): Job {
  return {
    id: row.id,
    kind: row.kind as Job['kind'],
    state: row.state as JobState,
    userId: row.user_id,
    guildId: row.guild_id,
    channelId: row.channel_id,
    applicationId: row.application_id,
    interactionToken: row.interaction_token,
    tokenExpiresAt: Number(row.token_expires_at),
    params: json(row.params) as GenerationParams,
    backend: row.backend,
    serverRef: row.server_ref ?? null,
    locale: row.locale ?? null,
    attempts: Number(row.attempts),
    error: row.error,
    result: row.result === null ? null : (json(row.result) as JobResult),
    parentId: row.parent_id,
    messageId: row.message_id,
    createdAt: Number(row.created_at),
    startedAt: time(row.started_at),
    finishedAt: time(row.finished_at),
  };
}

/** The job and its lease, as the queue keeps it. */
export function toQueueJob(row: JobRow): QueueJob {
  return {
    ...toJob(row),
    lockedBy: row.locked_by,
    lockedAt: time(row.locked_at),
    leaseExpiresAt: time(row.lease_expires_at),
    cancelRequested: row.cancel_requested === true || row.cancel_requested === 1,
    failedOn: row.failed_on,
  };
}
