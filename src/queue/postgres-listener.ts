import pg from 'pg';
import type { QueueEvent } from './job-queue.js';

const EVENT_TYPES = new Set<string>([
  'enqueued',
  'claimed',
  'released',
  'requeued',
  'cancel-requested',
  'cancelled',
]);
const RECONNECT_MS = 1_000;

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
 * One dedicated connection that LISTENs on the queue's channel (a pooled connection cannot: it is
 * handed to others between queries). When it drops (a server restart), it connects again every
 * second until stopped; events sent meanwhile are lost, so dispatchers also look now and then.
 */
export async function startQueueListener(
  config: pg.ClientConfig,
  channel: string,
  onEvent: (event: QueueEvent) => void,
): Promise<{ stop(): Promise<void> }> {
  let client: pg.Client | undefined;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;

  const connect = async (): Promise<void> => {
    const next = new pg.Client(config);
    next.on('notification', (message) => {
      const event = parseQueueEvent(message.payload);
      if (event !== undefined) onEvent(event);
    });
    const lost = () => {
      if (client !== next) return;
      client = undefined;
      next.end().catch(() => undefined);
      schedule();
    };
    next.on('error', lost);
    next.on('end', lost);
    try {
      await next.connect();
      await next.query(`LISTEN ${channel}`);
    } catch (error: unknown) {
      await next.end().catch(() => undefined);
      throw error;
    }
    if (stopped) await next.end().catch(() => undefined);
    else client = next;
  };
  const schedule = () => {
    if (stopped || timer !== undefined) return;
    timer = setTimeout(() => {
      timer = undefined;
      connect().catch(() => schedule());
    }, RECONNECT_MS);
  };

  await connect();
  return {
    async stop() {
      stopped = true;
      if (timer !== undefined) clearTimeout(timer);
      const last = client;
      client = undefined;
      await last?.end();
    },
  };
}
