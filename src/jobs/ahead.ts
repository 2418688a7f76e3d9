import type { Logger } from '../log.js';
import type { QueueJob } from '../queue/job-queue.js';
import type { Job } from './types.js';

/**
 * How long before a job's foreseen answer the job to follow it on its server is claimed. A claim on
 * a shared queue takes 5–15 ms, but while a burst of commands is taken in on two shared cores the
 * claim and the timer that starts it are late by tens of ms: in the bench's throughput step
 * (`bench/scenarios/processes.ts`, two rounds each) 40 ms left 2 and 4 workers at 86–95 %, 100 ms
 * at 94–96 %. Set against a job of seconds, the line's order read 100 ms early changes nothing a
 * member could see.
 */
export const AHEAD_LEAD_MS = 100;

/**
 * What makes two jobs take about as long on one server: everything the server works through, not
 * the words or the seed. Only a job like the last one there has a foreseeable answer.
 */
export function costKey(job: Pick<Job, 'kind' | 'params'>): string {
  const p = job.params;
  return JSON.stringify([
    job.kind,
    p.steps,
    p.width,
    p.height,
    p.count,
    p.cfgScale === 1,
    p.sampler,
    p.scheduler ?? null,
    p.model ?? null,
    p.initImage === undefined ? null : (p.denoisingStrength ?? null),
    p.hires ?? null,
    p.adetailer === true,
    p.variants?.length ?? 0,
    p.loras?.length ?? 0,
    p.upscale ?? null,
  ]);
}

/**
 * When the claim of the job to follow is due: `leadMs` before the answer the last like job
 * foretells; never when nothing foretells it or `leadMs` is 0 (claims ahead are off).
 */
export function aheadDelayMs(
  last: { key: string; ms: number } | undefined,
  key: string,
  leadMs: number,
): number | undefined {
  if (leadMs <= 0 || last === undefined || last.key !== key) return undefined;
  return Math.max(0, last.ms - leadMs);
}

export interface AheadOptions {
  /** How long before the foreseen answer to claim; 0: never. */
  leadMs: number;
  log: Logger;
  /** Claims the job to follow `behind` on its backend, as though its server had answered. */
  claim: (backendId: string, behind: Job) => Promise<QueueJob | undefined>;
  /** The backend may take a job now (healthy, the runner accepting). */
  ready: (backendId: string) => boolean;
  /** Runs a held job on the slot its forerunner just left. */
  start: (job: QueueJob, backendId: string) => void;
  /**
   * A held job that cannot run here after all goes back in line (`stopped`, its attempt uncounted),
   * or one whose cancel was asked for ends without having been sent (`cancelled`).
   */
  end: (
    job: QueueJob,
    backendId: string,
    outcome: { type: 'stopped'; unsent: true } | { type: 'cancelled' },
  ) => void;
  /** Another dispatch round: a claim ahead that found nothing leaves its slot to one. */
  schedule: () => void;
  track: (promise: Promise<unknown>) => void;
  /** The clock answers are timed on (`answered`'s `serviceMs`), ms. */
  now: () => number;
}

export interface Ahead {
  /** A job was sent to its backend: the claim of the next one is set for just before its answer. */
  started(job: Job, backendId: string): void;
  /**
   * The server answered (`serviceMs` after the job was sent): the job held to follow it starts
   * here at once, and whether one did. Without `serviceMs` the attempt ended another way (its
   * outcome recorded first, so a server that failed is known to be down).
   */
  answered(job: Job, backendId: string, serviceMs?: number): boolean;
  /** The jobs claimed and held here, whose leases are renewed with the running ones. */
  ids(): string[];
  /** Whether the job is held here; a cancel of it ends it at once. */
  cancelIfHeld(jobId: string): boolean;
  /** Another worker took the job over: it is no longer this one's to run. */
  drop(jobId: string): void;
  /** Shutdown: nothing more is claimed ahead, and every held job goes back in line. */
  stop(): void;
}

/**
 * Claims ahead: while a server works on a job like the last one it answered, the job to follow it
 * is claimed just before the answer is due and held, so that the server waits for no claim's round
 * trip. The queue counts the job being answered as done for that claim only (`released`): a
 * backend's capacity holds, since the held job is sent only once its forerunner's answer begins.
 * The line's fair order is read at most `leadMs` early. One held job per backend at most.
 */
// One closure on purpose: the timers, the claims on their way and the held jobs are one backend-keyed state.
export function createAhead(options: AheadOptions): Ahead {
  const { log } = options;
  /**
   * Per backend: the last job it answered, as its cost key and how long it took; and the last of
   * any backend, for a backend's first job like it (servers side by side are mostly alike; where
   * one is slower, its own first answer soon takes over).
   */
  const last = new Map<string, { key: string; ms: number }>();
  let lastAny: { key: string; ms: number } | undefined;
  const foretold = (backendId: string, key: string) => {
    const own = last.get(backendId);
    return own?.key === key ? own : lastAny;
  };
  /** Per job being worked on: the timer of its follower's claim. */
  const timers = new Map<string, NodeJS.Timeout>();
  /**
   * Jobs sent before any like job was answered (the first of a burst on every server): foretold
   * by the first like answer, from how long they have run by then.
   */
  const unforetold = new Map<string, { job: Job; backendId: string; key: string; sentAt: number }>();
  /** Per backend: the job held to follow `behind`. */
  const held = new Map<string, { job: QueueJob; behind: string }>();
  /** Per backend: the job whose follower is being claimed, and whether it has been answered since. */
  const claiming = new Map<string, { behind: string; answered: boolean }>();
  let stopped = false;

  const handOver = (job: QueueJob, backendId: string) => {
    if (!stopped && options.ready(backendId)) options.start(job, backendId);
    else options.end(job, backendId, { type: 'stopped', unsent: true });
  };

  const claimFor = async (behind: Job, backendId: string) => {
    if (stopped || held.has(backendId) || claiming.has(backendId) || !options.ready(backendId)) return;
    const pending = { behind: behind.id, answered: false };
    claiming.set(backendId, pending);
    let job: QueueJob | undefined;
    try {
      job = await options.claim(backendId, behind);
    } catch (error: unknown) {
      log.warn({ err: error, backend: backendId }, 'could not claim the next job ahead');
    } finally {
      claiming.delete(backendId);
    }
    if (job === undefined) {
      if (pending.answered) options.schedule();
    } else if (pending.answered || stopped) handOver(job, backendId);
    else held.set(backendId, { job, behind: behind.id });
  };

  const clearTimer = (jobId: string) => {
    const timer = timers.get(jobId);
    if (timer === undefined) return;
    clearTimeout(timer);
    timers.delete(jobId);
  };

  const setClaim = (job: Job, backendId: string, delay: number) => {
    const timer = setTimeout(() => {
      timers.delete(job.id);
      options.track(claimFor(job, backendId));
    }, delay);
    timer.unref();
    timers.set(job.id, timer);
  };

  /**
   * The jobs nothing foretold when they were sent, now that a like one was answered: each one's
   * claim is set by the time it has already run; one past the foreseen answer is left to its own.
   */
  const foretellRunning = () => {
    for (const [jobId, entry] of unforetold) {
      const like = foretold(entry.backendId, entry.key);
      const delay = aheadDelayMs(like, entry.key, options.leadMs);
      if (like === undefined || delay === undefined) continue;
      unforetold.delete(jobId);
      const ran = options.now() - entry.sentAt;
      if (ran < like.ms) setClaim(entry.job, entry.backendId, Math.max(0, delay - ran));
    }
  };

  return {
    started(job, backendId) {
      if (stopped || options.leadMs <= 0) return;
      const key = costKey(job);
      const delay = aheadDelayMs(foretold(backendId, key), key, options.leadMs);
      if (delay === undefined) unforetold.set(job.id, { job, backendId, key, sentAt: options.now() });
      else setClaim(job, backendId, delay);
    },
    answered(job, backendId, serviceMs) {
      clearTimer(job.id);
      unforetold.delete(job.id);
      if (serviceMs !== undefined) {
        lastAny = { key: costKey(job), ms: serviceMs };
        last.set(backendId, lastAny);
        foretellRunning();
      }
      const pending = claiming.get(backendId);
      if (pending?.behind === job.id) pending.answered = true;
      const next = held.get(backendId);
      if (next === undefined || next.behind !== job.id) return false;
      held.delete(backendId);
      handOver(next.job, backendId);
      return true;
    },
    ids: () => [...held.values()].map((entry) => entry.job.id),
    cancelIfHeld(jobId) {
      for (const [backendId, entry] of held) {
        if (entry.job.id !== jobId) continue;
        held.delete(backendId);
        options.end(entry.job, backendId, { type: 'cancelled' });
        return true;
      }
      return false;
    },
    drop(jobId) {
      for (const [backendId, entry] of held) if (entry.job.id === jobId) held.delete(backendId);
    },
    stop() {
      stopped = true;
      for (const timer of timers.values()) clearTimeout(timer);
      timers.clear();
      unforetold.clear();
      for (const [backendId, entry] of held)
        options.end(entry.job, backendId, { type: 'stopped', unsent: true });
      held.clear();
    },
  };
}
