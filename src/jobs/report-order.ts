import type { Logger } from '../log.js';
import type { QueueSnapshot } from './queue-snapshot.js';
import type { JobReporter } from './reporter.js';
import type { Job } from './types.js';

/** A job update for the member, in the background: `what` names it in the log when it fails. */
export type SendReport = (what: string, job: Job, action: () => Promise<void>) => void;

export interface ReportOrder {
  /** Sends an update now; a failure is logged, never thrown. */
  send: SendReport;
  /** Sends an update after the job's "retrying" note still on its way, if there is one. */
  report: SendReport;
  /**
   * Tells the member of a job back in line that it is retrying, at its place read anew (a job
   * already claimed again here is first, whether or not its start was reported yet; one another
   * process took tells its own story). Every later report of the job waits for this one.
   */
  noteRetrying(job: Job): Promise<void>;
}

export interface ReportOrderContext {
  snapshot: QueueSnapshot;
  /** This process's worker id: a job the read shows leased to it was claimed again here. */
  worker: string;
  reporter: JobReporter;
  log: Logger;
  /** Keeps a background promise for the runner's `stop()` to wait on. */
  track(promise: Promise<unknown>): void;
}

/** The order of one job's updates: a retry's note reads the line first, and what follows waits for it. */
export function createReportOrder({
  snapshot,
  reporter,
  log,
  track,
  worker,
}: ReportOrderContext): ReportOrder {
  /** A "retrying" note still on its way: every later report of its job waits for it. */
  const notes = new Map<string, Promise<void>>();
  /** Jobs with reports waiting for their note: they started here again meanwhile. */
  const heldBack = new Set<string>();
  /**
   * The job was claimed again here: its start was reported during the note, or the read shows it
   * leased to this worker (a claim that landed before the read, its start not reported yet).
   */
  const claimedHere = (jobId: string) =>
    heldBack.has(jobId) || snapshot.running.some((job) => job.id === jobId && job.lockedBy === worker);

  const send: SendReport = (what, job, action) => {
    track(
      action().catch((error: unknown) => {
        log.warn({ err: error, jobId: job.id, what }, 'reporting a job update failed');
      }),
    );
  };
  const report: SendReport = (what, job, action) => {
    const before = notes.get(job.id);
    if (before === undefined) return send(what, job, action);
    heldBack.add(job.id);
    track(before.then(() => send(what, job, action)));
  };
  const noteRetrying = (job: Job): Promise<void> => {
    const told = snapshot.refresh().then(() => {
      const place =
        snapshot.position(job.id) ??
        (claimedHere(job.id) ? { position: 1, total: snapshot.line.length + 1 } : undefined);
      if (place !== undefined)
        send('retrying', job, () => reporter.queued(job, place.position, place.total, 'retrying'));
    });
    notes.set(job.id, told);
    heldBack.delete(job.id);
    track(
      told.finally(() => {
        if (notes.get(job.id) !== told) return;
        notes.delete(job.id);
        heldBack.delete(job.id);
      }),
    );
    return told;
  };
  return { send, report, noteRetrying };
}
