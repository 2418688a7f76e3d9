import type pg from 'pg';
import { listenOn } from '../store/postgres-notifications.js';
import type { QueueEvent } from './job-queue.js';
import { holdWorkerId } from './postgres-worker-id.js';

const EVENT_TYPES = new Set<string>([
  'enqueued',
  'claimed',
  'released',
  'requeued',
  'cancel-requested',
  'cancelled',
]);

/** A NOTIFY payload as sent by the queue; anything else on the channel is ignored. */
export function parseQueueEvent(payload: string | undefined): QueueEvent | undefined {
  try {
    const value: unknown = JSON.parse(payload ?? '');
    if (typeof value !== 'object' || value === null) return undefined;
    const { type, jobId } = value as Record<string, unknown>;
    if (typeof type !== 'string' || !EVENT_TYPES.has(type) || typeof jobId !== 'string') return undefined;
    return { type: type as QueueEvent['type'], jobId };
  } catch (error: unknown) {
    if (error instanceof SyntaxError) return undefined;
    throw error;
  }
}

/**
 * The queue's LISTEN connection (`listenOn`: one dedicated connection, connected again every second
 * after a drop). Events sent while it was down are lost, so dispatchers also look now and then.
 * With `worker`, the connection also holds that WORKER_ID for this process.
 */
export function startQueueListener(
  config: pg.ClientConfig,
  channel: string,
  onEvent: (event: QueueEvent) => void,
  worker?: { id: string; waitMs: number },
): Promise<{ stop(): Promise<void> }> {
  let first = true;
  return listenOn(config, channel, {
    onPayload(payload) {
      const event = parseQueueEvent(payload);
      if (event !== undefined) onEvent(event);
    },
    onReconnected: () => undefined,
    // The process's WORKER_ID is held on this connection (see postgres-worker-id.ts); after a
    // reconnect it is taken back at once or the connection is tried again.
    onConnected: async (client) => {
      if (worker === undefined) return;
      await holdWorkerId(client, worker.id, first ? worker.waitMs : 0);
      first = false;
    },
  });
}
