import type { GenerationParams } from '../generation/request.js';

export type JobState = 'queued' | 'running' | 'succeeded' | 'failed' | 'cancelled';
export type JobKind = 'txt2img' | 'img2img' | 'upscale';

export const PENDING_STATES: readonly JobState[] = ['queued', 'running'];

/** What a finished job keeps for its reply and for later buttons. */
export interface JobResult {
  seeds: number[];
  model: string | null;
  modelHash: string | null;
  sampler: string | null;
  infotexts: string[];
  durationMs: number;
  backend: string;
  /** The first image's real size, from its own header (never from what the server says it made). */
  width?: number | undefined;
  height?: number | undefined;
}

export interface Job {
  id: string;
  kind: JobKind;
  state: JobState;
  userId: string;
  guildId: string | null;
  channelId: string;
  applicationId: string;
  /** The interaction token for editing the reply; null once it is no longer usable. */
  interactionToken: string | null;
  tokenExpiresAt: number;
  params: GenerationParams;
  backend: string | null;
  /** The server's own id of the running request, where it has one (see `Engine.resume`). */
  serverRef?: string | null | undefined;
  attempts: number;
  error: string | null;
  result: JobResult | null;
  parentId: string | null;
  messageId: string | null;
  createdAt: number;
  startedAt: number | null;
  finishedAt: number | null;
}

export type NewJob = Pick<
  Job,
  | 'kind'
  | 'userId'
  | 'guildId'
  | 'channelId'
  | 'applicationId'
  | 'interactionToken'
  | 'tokenExpiresAt'
  | 'params'
  | 'parentId'
>;
