/**
 * GET /queue: where a prompt is (running, waiting, or neither), and the lookup a resumed run starts
 * from (the queue, then the history).
 */
import type { ComfyClient } from './client.js';
import type { ComfyQueueSnapshot } from './messages.js';

export type ComfyQueue = ComfyQueueSnapshot['data'];

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** The server's queue now; anything unreadable counts as empty. */
export async function getQueue(client: ComfyClient, signal?: AbortSignal): Promise<ComfyQueue> {
  const json = await client.getJson('/queue', { timeoutMs: 10_000, signal });
  const list = (value: unknown): unknown[][] =>
    Array.isArray(value) ? value.filter((item): item is unknown[] => Array.isArray(item)) : [];
  return isRecord(json)
    ? { queue_running: list(json.queue_running), queue_pending: list(json.queue_pending) }
    : { queue_running: [], queue_pending: [] };
}

export function inQueue(queue: ComfyQueue, id: string): 'running' | 'pending' | null {
  if (queue.queue_running.some((item) => item[1] === id)) return 'running';
  if (queue.queue_pending.some((item) => item[1] === id)) return 'pending';
  return null;
}

/** The `[number, id, graph, extra_data, …]` item of a prompt, from the queue or else the history. */
export async function findPromptItem(
  client: ComfyClient,
  ref: string,
  signal: AbortSignal,
): Promise<unknown[] | undefined> {
  const queue = await getQueue(client, signal);
  let item = [...queue.queue_running, ...queue.queue_pending].find((entry) => entry[1] === ref);
  if (item === undefined) {
    const history = await client.getJson(`/history/${encodeURIComponent(ref)}`, { signal });
    const entry = isRecord(history) ? history[ref] : undefined;
    const prompt = isRecord(entry) ? entry.prompt : undefined;
    if (Array.isArray(prompt)) item = prompt;
  }
  return item;
}
