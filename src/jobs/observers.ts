import type { Logger } from '../log.js';
import type { Job, JobState } from './types.js';

/** What the runner announces; logs and metrics observe these instead of being called inside each step. */
export type JobEvent =
  | { type: 'queued'; job: Job }
  | { type: 'state'; job: Job; state: JobState }
  | { type: 'retried'; job: Job }
  | { type: 'queue-length'; length: number }
  | { type: 'generation'; backendId: string; model: string; seconds: number }
  | { type: 'backend'; backendId: string; up: boolean };

export interface RunnerMetrics {
  jobState(state: JobState | 'retried'): void;
  queueLength(n: number): void;
  generation(backend: string, model: string, seconds: number): void;
  backendUp(backend: string, up: boolean): void;
}

/** One log line per state change (with how long the job waited and ran) and the metrics of each event. */
export function createJobObservers(
  log: Logger,
  metrics: RunnerMetrics | undefined,
): (event: JobEvent) => void {
  return (event) => {
    switch (event.type) {
      case 'queued': {
        const { job } = event;
        metrics?.jobState('queued');
        log.info({ jobId: job.id, state: 'queued', userId: job.userId, guildId: job.guildId }, 'job queued');
        return;
      }
      case 'state': {
        const { job, state } = event;
        metrics?.jobState(state);
        log.info(
          {
            jobId: job.id,
            state,
            backend: job.backend,
            attempts: job.attempts,
            waitedMs: job.startedAt !== null ? job.startedAt - job.createdAt : undefined,
            ranMs:
              job.finishedAt !== null && job.startedAt !== null ? job.finishedAt - job.startedAt : undefined,
          },
          `job ${state}`,
        );
        return;
      }
      case 'retried':
        metrics?.jobState('retried');
        return;
      case 'queue-length':
        metrics?.queueLength(event.length);
        return;
      case 'generation':
        metrics?.generation(event.backendId, event.model, event.seconds);
        return;
      case 'backend':
        metrics?.backendUp(event.backendId, event.up);
        return;
    }
  };
}
