/**
 * Bounds how many progress edits (place in line, generation progress) are in flight at once, so a
 * burst of 200 commands is 200 small edits spread over a few dozen milliseconds rather than 200
 * answers landing in one turn of the event loop. Final results do not use the lane: they never wait
 * behind progress. A job's edit still waiting for a slot is dropped once its final state is known.
 */
export interface EditLane {
  /** Runs `task` when a slot is free; resolves without running it when `drop(jobId)` came first. */
  run(jobId: string, task: () => Promise<void>): Promise<void>;
  /** Forgets the job's waiting edits (its final update supersedes them). */
  drop(jobId: string): void;
}

interface Waiter {
  jobId: string;
  start: () => void;
  skip: () => void;
}

export function createEditLane(width: number): EditLane {
  if (!Number.isInteger(width) || width < 1)
    throw new Error(`an edit lane needs at least 1 slot, not ${width}`);
  let active = 0;
  const waiting: Waiter[] = [];
  const release = () => {
    active--;
    const next = waiting.shift();
    if (next !== undefined) {
      // The slot passes straight to the next waiter, so nobody can take it in between.
      active++;
      next.start();
    }
  };
  return {
    async run(jobId, task) {
      if (active < width) {
        active++;
      } else {
        const started = await new Promise<boolean>((resolve) => {
          waiting.push({ jobId, start: () => resolve(true), skip: () => resolve(false) });
        });
        if (!started) return;
      }
      try {
        await task();
      } finally {
        release();
      }
    },
    drop(jobId) {
      for (let index = waiting.length - 1; index >= 0; index--) {
        const waiter = waiting[index];
        if (waiter?.jobId !== jobId) continue;
        waiting.splice(index, 1);
        waiter.skip();
      }
    },
  };
}
