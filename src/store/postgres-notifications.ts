import pg from 'pg';

const RECONNECT_MS = 1_000;

/** What a store does with its channel: each payload, and a full reload after a reconnect. */
export interface NotificationHandlers {
  onPayload(payload: string | undefined): void;
  /**
   * Called once LISTEN is in place again after the connection dropped: payloads sent meanwhile are
   * lost, so the store reads everything again.
   */
  onReconnected(): void;
  /**
   * Run on the connection once LISTEN is in place, at the first connect and every reconnect (a
   * session-level lock this process holds for its lifetime, say). Its failure at the first connect
   * fails `listenOn`; after a reconnect, the connection is dropped and tried again a second later.
   */
  onConnected?(client: pg.Client): Promise<void>;
}

/** A channel name safe to splice into LISTEN (it cannot be a bind parameter). */
export function checkChannelName(channel: string): string {
  if (!/^[a-z_][a-z0-9_]*$/.test(channel)) throw new Error(`not a plain channel name: ${channel}`);
  return channel;
}

/**
 * One dedicated connection that LISTENs on a store's channel (a pooled connection cannot: it is
 * handed to others between queries); the queue's listener (`src/queue/postgres-listener.ts`) is one too. When it
 * drops (a server restart), it connects again every second until stopped, then calls
 * `onReconnected`. Resolves once the first LISTEN is in place.
 */
export async function listenOn(
  config: pg.ClientConfig,
  channel: string,
  handlers: NotificationHandlers,
): Promise<{ stop(): Promise<void> }> {
  checkChannelName(channel);
  let client: pg.Client | undefined;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;

  const connect = async (): Promise<void> => {
    const next = new pg.Client(config);
    next.on('notification', (message) => {
      if (message.channel === channel) handlers.onPayload(message.payload);
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
      await handlers.onConnected?.(next);
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
      connect().then(
        () => {
          if (!stopped) handlers.onReconnected();
        },
        () => schedule(),
      );
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

/**
 * Runs steps one after another (a payload's refresh, a full reload), so a slow read never lands
 * after a later one. `run` reports a failed step to `onError`; `wait` hands it to the caller. Either
 * way the next step still runs. `idle` resolves when every step queued so far is done.
 */
export function createSerialSteps(onError: (error: unknown) => void): {
  run(step: () => unknown): void;
  wait(step: () => unknown): Promise<void>;
  idle(): Promise<void>;
} {
  let tail: Promise<void> = Promise.resolve();
  const wait = (step: () => unknown) => {
    const result = tail.then(step);
    tail = result.then(
      () => undefined,
      () => undefined,
    );
    return result.then(() => undefined);
  };
  return {
    run(step) {
      wait(step).catch(onError);
    },
    wait,
    idle: () => tail,
  };
}
