/**
 * POST /prompt: queues a job's graph under the bot's client id (and, on servers from 0.3.64, an id of
 * its own), with the bot's record in `extra_data`. A 400 names the node errors; the answer names the
 * prompt and its place in line.
 */
import { randomUUID } from 'node:crypto';
import { toHttpError } from '../../sd/error-mapping.js';
import { SdInvalidRequestError, SdMalformedResponseError } from '../errors.js';
import type { ComfyClient } from './client.js';
import type { ComfyJob } from './job-graph.js';
import { toComfyErrorMessage } from './prompt-errors.js';
import { RECORD_KEY } from './prompt-record.js';

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

export interface QueuedPrompt {
  promptId: string;
  /** Its number in the server's queue (infinity when the answer does not say). */
  number: number;
}

/** Queues the job; `modern` servers get a prompt id the bot chose. */
export async function postPrompt(
  client: ComfyClient,
  job: ComfyJob,
  options: { clientId: string; modern: boolean; signal: AbortSignal },
): Promise<QueuedPrompt> {
  const label = client.label;
  const ownId = options.modern ? randomUUID() : undefined;
  const body = {
    prompt: job.graph,
    client_id: options.clientId,
    extra_data: { [RECORD_KEY]: job.record },
    ...(ownId === undefined ? {} : { prompt_id: ownId }),
  };
  const answer = await client.request('POST', '/prompt', body, {
    timeoutMs: 30_000,
    signal: options.signal,
  });
  if (answer.status === 400) {
    const message = toComfyErrorMessage(answer.json, job.graph);
    throw new SdInvalidRequestError(`${label}: ${message}`, {
      backend: label,
      method: 'POST',
      path: '/prompt',
      status: 400,
      field: firstInputName(answer.json),
      detail: message,
    });
  }
  if (answer.status < 200 || answer.status >= 300) {
    throw toHttpError(answer.status, answer.text, { backend: label, method: 'POST', path: '/prompt' });
  }
  const json = isRecord(answer.json) ? answer.json : {};
  const promptId = typeof json.prompt_id === 'string' ? json.prompt_id : ownId;
  if (promptId === undefined) {
    throw new SdMalformedResponseError(`POST ${label}/prompt did not name the prompt`, {
      backend: label,
      method: 'POST',
      path: '/prompt',
      detail: answer.text.slice(0, 200),
    });
  }
  const number = typeof json.number === 'number' ? json.number : Number.POSITIVE_INFINITY;
  return { promptId, number };
}

/** The input the first node error names (`extra_info.input_name`), for `SdInvalidRequestError.field`. */
function firstInputName(body: unknown): string | null {
  if (!isRecord(body) || !isRecord(body.node_errors)) return null;
  for (const entry of Object.values(body.node_errors)) {
    const errors = isRecord(entry) && Array.isArray(entry.errors) ? entry.errors : [];
    for (const error of errors) {
      const extra = isRecord(error) && isRecord(error.extra_info) ? error.extra_info : {};
      if (typeof extra.input_name === 'string') return extra.input_name;
    }
  }
  return null;
}
