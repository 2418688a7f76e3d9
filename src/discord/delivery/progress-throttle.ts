import type { JobReporter } from '../../jobs/reporter.js';

/**
 * Progress-edit throttling on the delivery side. The runner offers a job's place in line on every
 * tick and engines report progress on every poll; this passes on at most one edit per job per
 * `intervalMs` while the job stays in one state (queued, or with the server), drops a place in line
 * that did not change, and lets a change of state and every final update through at once. An offer
 * dropped for being too soon is superseded by the next one, which comes within an interval. A place
 * far back in line is told less often (see `placeInterval`).
 */
export function throttleProgress(inner: JobReporter, intervalMs: number, now: () => number): JobReporter {
  const last = new Map<string, { state: 'queued' | 'running'; at: number; place: string | undefined }>();
  const offer = (
    jobId: string,
    state: 'queued' | 'running',
    place: string | undefined,
    interval = intervalMs,
  ): boolean => {
    const previous = last.get(jobId);
    if (previous !== undefined && previous.state === state) {
      if (place !== undefined && previous.place === place) return false;
      if (now() - previous.at < interval) return false;
    }
    last.set(jobId, { state, at: now(), place });
    return true;
  };
  const final = (jobId: string) => last.delete(jobId);
  return {
    queued(job, position, total, note) {
      // A notice (restarted, retrying) always goes out: it says something new.
      const place = `${position}/${total}`;
      if (note !== undefined) last.set(job.id, { state: 'queued', at: now(), place });
      else if (!offer(job.id, 'queued', place, placeInterval(intervalMs, position))) return Promise.resolve();
      return inner.queued(job, position, total, note);
    },
    running(job, progress) {
      // The first "Starting…" of an attempt is a change of state, even after a retry.
      if (progress === null) last.delete(job.id);
      if (!offer(job.id, 'running', undefined)) return Promise.resolve();
      return inner.running(job, progress);
    },
    imageArrived: (job, image) => inner.imageArrived(job, image),
    finished(job, result, kept) {
      final(job.id);
      return inner.finished(job, result, kept);
    },
    failed(job, error) {
      final(job.id);
      return inner.failed(job, error);
    },
    cancelled(job) {
      final(job.id);
      return inner.cancelled(job);
    },
    keepReachable: (job) => inner.keepReachable(job),
  };
}

/** Places per step of `placeInterval`: the first ten are told every interval, the next ten every two. */
const PLACES_PER_STEP = 10;
/** The longest wait between two edits of a place in line, in intervals. */
const MOST_INTERVALS = 10;

/**
 * How often a place in line is edited: every interval near the front, where each move matters,
 * and less often further back (a place of 150 in a line of 200 need not tick every 1.5 s). Without
 * this a long line costs one edit per waiting job per interval, 130 a second with 200 waiting.
 */
export function placeInterval(intervalMs: number, position: number): number {
  return intervalMs * Math.min(MOST_INTERVALS, Math.max(1, Math.ceil(position / PLACES_PER_STEP)));
}
