/**
 * GET /history/{prompt_id} → what became of a prompt, for when the WebSocket missed the end (a dropped
 * socket, a restart of the bot). `{}` means the server does not know the prompt (pending, running, or lost).
 */
import { z } from 'zod';
import type { ComfyImageRef } from './messages.js';

const imageRef = z.object({
  filename: z.string(),
  subfolder: z.string().catch(''),
  type: z.string().catch('output'),
});

const entrySchema = z.object({
  outputs: z.record(z.string(), z.object({ images: z.array(imageRef).optional() }).loose()).catch({}),
  status: z
    .object({
      status_str: z.string().catch(''),
      completed: z.boolean().catch(false),
      messages: z.array(z.tuple([z.string(), z.record(z.string(), z.unknown())]).rest(z.unknown())).catch([]),
    })
    .nullish(),
});

export type ComfyHistoryOutcome =
  | { state: 'unknown' }
  | { state: 'success'; images: Record<string, ComfyImageRef[]> }
  | { state: 'interrupted'; images: Record<string, ComfyImageRef[]> }
  | {
      state: 'error';
      images: Record<string, ComfyImageRef[]>;
      nodeId: string | null;
      nodeType: string | null;
      message: string | null;
    };

const text = (value: unknown): string | null => (typeof value === 'string' ? value : null);

/** Reads one prompt's entry out of a /history answer. */
export function parseHistoryEntry(json: unknown, promptId: string): ComfyHistoryOutcome {
  if (typeof json !== 'object' || json === null) return { state: 'unknown' };
  const raw = (json as Record<string, unknown>)[promptId];
  const parsed = entrySchema.safeParse(raw);
  if (raw === undefined || !parsed.success) return { state: 'unknown' };
  const images: Record<string, ComfyImageRef[]> = {};
  for (const [node, output] of Object.entries(parsed.data.outputs)) {
    if (output.images !== undefined && output.images.length > 0) images[node] = output.images;
  }
  const status = parsed.data.status;
  if (status === null || status === undefined || (status.completed && status.status_str !== 'error')) {
    return { state: 'success', images };
  }
  const interrupted = status.messages.find(([type]) => type === 'execution_interrupted');
  if (interrupted !== undefined) return { state: 'interrupted', images };
  const failed = status.messages.find(([type]) => type === 'execution_error')?.[1] ?? {};
  return {
    state: 'error',
    images,
    nodeId: text(failed.node_id),
    nodeType: text(failed.node_type),
    message: text(failed.exception_message),
  };
}
