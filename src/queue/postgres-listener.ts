import type pg from 'pg';
import { listenOn } from '../store/postgres-notifications.js';
import type { QueueEvent } from './job-queue.js';

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
 */
export function startQueueListener(
  config: pg.ClientConfig,
  channel: string,
  onEvent: (event: QueueEvent) => void,
): Promise<{ stop(): Promise<void> }> {
  return listenOn(config, channel, {
    onPayload(payload) {
      const event = parseQueueEvent(payload);
      if (event !== undefined) onEvent(event);
    },
    onReconnected: () => undefined,
  });
}
