import type { Logger } from '../log.js';
import type { JobQueue } from '../queue/job-queue.js';
import type { JobEvent } from './observers.js';
import type { LeaseStep } from './outcomes.js';
import type { Job } from './types.js';

/**
 * One lease holder's step on a running job in the queue, then the observers: the job in its new
 * state, or undefined when this worker no longer holds the job (another one took it over).
 */
export function createLeaseSteps(context: {
  queue: Pick<JobQueue, 'complete' | 'fail' | 'retry' | 'finishCancelled'>;
  worker: string;
  now: () => number;
  log: Logger;
  emit: (event: JobEvent) => void;
}): (job: Job, step: LeaseStep) => Promise<Job | undefined> {
  const { queue, worker, now, log, emit } = context;
  const take = (jobId: string, step: LeaseStep, at: number) => {
    switch (step.type) {
      case 'complete':
        return queue.complete(jobId, worker, step.result, at);
      case 'fail':
        return queue.fail(jobId, worker, step.error, at);
      case 'retry':
        return queue.retry(jobId, worker, step.failedOn, at, step.unsent);
      case 'finish-cancelled':
        return queue.finishCancelled(jobId, worker, at);
    }
  };
  return async (job, step) => {
    const updated = await take(job.id, step, now());
    if (updated === undefined) {
      log.warn(
        { jobId: job.id, step: step.type },
        'this worker no longer holds the job; left to its new one',
      );
      return undefined;
    }
    emit({ type: 'state', job: updated, state: updated.state });
    return updated;
  };
}
