import type { JobStore } from './job-store.js';
import type { Job } from './types.js';

/** A job's fields outside the steps of its life: where its reply lives, the server's request id. */
export type JobNotes = Partial<Pick<Job, 'messageId' | 'interactionToken' | 'serverRef'>>;

/**
 * The jobs as the Discord side and the runner read them and note what the queue does not (the reply
 * moved to a channel message, the server's request id), in whichever database holds the queue.
 */
export interface JobRecords {
  get(id: string): Promise<Job | undefined>;
  update(id: string, changes: JobNotes): Promise<void>;
}

/** The records of the SQLite file's `jobs` table. */
export function toJobRecords(store: Pick<JobStore, 'get' | 'update'>): JobRecords {
  return {
    get: async (id) => store.get(id),
    async update(id, changes) {
      store.update(id, changes);
    },
  };
}
