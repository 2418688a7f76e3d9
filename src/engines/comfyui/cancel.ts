/**
 * Cancelling a ComfyUI prompt, and the control record a run shares with its cancel (a dequeue ends the
 * run through `abort`).
 */
import { SdAbortedError, type SdError } from '../errors.js';
import type { CancelOutcome } from '../types.js';
import type { ComfyClient } from './client.js';
import { getQueue, inQueue } from './queue.js';

/** What a run and its cancel share: the prompt once known, and how the run ended. */
export interface Control {
  promptId: string | null;
  finished: boolean;
  cancelled: boolean;
  /** Ends the run with this error (a dequeue). */
  abort?: ((error: SdError) => void) | undefined;
}

/**
 * Stops our prompt: out of the queue while it waits, an interrupt while it runs; never anyone else's.
 * `modern()` (read when the interrupt is sent) says whether the server takes a prompt id in `/interrupt`.
 */
export async function cancelPrompt(
  client: ComfyClient,
  control: Control,
  modern: () => boolean,
): Promise<CancelOutcome> {
  const label = client.label;
  const id = control.promptId;
  if (id === null || control.finished) return 'discard';
  const queue = await getQueue(client);
  const where = inQueue(queue, id);
  if (where === 'pending') {
    await client.postJson('/queue', { delete: [id] }, { timeoutMs: 10_000 });
    const after = inQueue(await getQueue(client), id);
    if (after === null) {
      control.abort?.(
        new SdAbortedError(`${label}: prompt ${id} was taken out of the queue`, { backend: label }),
      );
      return 'dequeued';
    }
    if (after !== 'running') return 'pending';
  } else if (where !== 'running') return 'discard';
  // Servers that take a prompt id stop only that one; older ones stop whatever runs, and /queue just said it is ours.
  await client.postJson('/interrupt', modern() ? { prompt_id: id } : {}, {
    timeoutMs: 10_000,
  });
  return 'interrupted';
}
