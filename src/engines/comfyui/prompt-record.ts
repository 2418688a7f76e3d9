/**
 * The bot's own record of a job, carried in the prompt's `extra_data` so a resumed run (after a restart)
 * still knows the seeds, the output nodes, the model and the sampler.
 */
import type { ComfyJobRecord } from './job-graph.js';

/** The bot's own key in a prompt's `extra_data`. */
export const RECORD_KEY = 'sdbot';

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Reads the bot's record back out of a prompt's `extra_data` (what is missing becomes empty). */
export function parseRecord(extra: unknown): ComfyJobRecord {
  const raw = isRecord(extra) ? extra[RECORD_KEY] : undefined;
  const record = isRecord(raw) ? raw : {};
  const numbers = (value: unknown) =>
    Array.isArray(value) ? value.filter((item): item is number => typeof item === 'number') : [];
  const texts = (value: unknown) =>
    Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
  return {
    seeds: numbers(record.seeds),
    outputs: texts(record.outputs),
    model: typeof record.model === 'string' ? record.model : null,
    sampler: typeof record.sampler === 'string' ? record.sampler : null,
  };
}
