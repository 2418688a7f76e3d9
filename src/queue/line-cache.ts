import type { QueueJob } from './job-queue.js';

/** One place in the fair line as FAIR_LINE_IDS_SQL reads it: the id and a stamp of what can change. */
export interface LineEntry {
  id: string;
  stamp: string;
}

/**
 * The rows of the line already read, by id and stamp: the line is read on every change and every
 * claim, so a read fetches and parses only the rows that are new or changed (params never change
 * while a job waits). Both adapters keep one.
 */
export interface LineCache {
  /** The ids among `entries` whose row must be fetched. */
  stale(entries: readonly LineEntry[]): string[];
  /** The line in `entries`' order, from the kept rows and the `fresh` ones; keeps only these. */
  line(entries: readonly LineEntry[], fresh: ReadonlyMap<string, QueueJob>): QueueJob[];
  /** The line as last read (some of it may have moved on since). */
  last(): readonly QueueJob[];
}

export function createLineCache(): LineCache {
  let kept = new Map<string, { stamp: string; job: QueueJob }>();
  let last: readonly QueueJob[] = [];
  return {
    stale: (entries) => entries.filter(({ id, stamp }) => kept.get(id)?.stamp !== stamp).map(({ id }) => id),
    line(entries, fresh) {
      const next = new Map<string, { stamp: string; job: QueueJob }>();
      const line: QueueJob[] = [];
      for (const { id, stamp } of entries) {
        const job = fresh.get(id);
        const hit = kept.get(id);
        // A row deleted between the two reads (a finished job pruned) is left out of this read.
        const entry = job !== undefined ? { stamp, job } : hit?.stamp === stamp ? hit : undefined;
        if (entry === undefined) continue;
        next.set(id, entry);
        line.push(entry.job);
      }
      kept = next;
      last = line;
      return line;
    },
    last: () => last,
  };
}
