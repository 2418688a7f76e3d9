import type { Job } from './types.js';

/** What start-up does with the jobs a previous run left unfinished. */
export interface RestartPlan {
  /** Requests still on a server that can be followed again (ComfyUI keeps them apart from the bot). */
  resume: { job: Job; backendId: string; ref: string }[];
  /** Jobs that were running when the bot stopped: back in line, to run again. */
  requeue: Job[];
  /** Jobs that were waiting: they keep their place. */
  waiting: Job[];
}

/** Pure: sorts the pending jobs (oldest first) by what start-up does with each. */
export function planRestart(pending: readonly Job[], canResume: (backendId: string) => boolean): RestartPlan {
  const plan: RestartPlan = { resume: [], requeue: [], waiting: [] };
  for (const job of pending) {
    if (job.state !== 'running') {
      plan.waiting.push(job);
      continue;
    }
    const ref = job.serverRef ?? undefined;
    if (ref !== undefined && job.backend !== null && canResume(job.backend)) {
      plan.resume.push({ job, backendId: job.backend, ref });
    } else plan.requeue.push(job);
  }
  return plan;
}
