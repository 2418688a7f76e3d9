import type { QueueEvent } from './job-queue.js';

/** Queue events within one process: every SQLite queue on one database file shares one of these. */
export interface QueueEvents {
  emit(event: QueueEvent): void;
  subscribe(listener: (event: QueueEvent) => void): () => void;
}

export function createQueueEvents(): QueueEvents {
  const listeners = new Set<(event: QueueEvent) => void>();
  return {
    emit(event) {
      for (const listener of [...listeners]) listener(event);
    },
    subscribe(listener) {
      // A wrapper per subscription, so one listener subscribed twice is two subscriptions.
      const entry = (event: QueueEvent) => listener(event);
      listeners.add(entry);
      return () => {
        listeners.delete(entry);
      };
    },
  };
}
