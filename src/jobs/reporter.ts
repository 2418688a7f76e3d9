import type { GenerationResult, SdProgress } from '../sd/types.js';
import type { Job } from './types.js';

export type QueueNote = 'restarted' | 'retrying' | undefined;

/**
 * How the job runner tells the outside world (Discord) what happens to a job. Implementations
 * never throw: a delivery failure is theirs to log and recover from.
 */
export interface JobReporter {
  queued(job: Job, position: number, total: number, note: QueueNote): Promise<void>;
  running(job: Job, progress: SdProgress | null): Promise<void>;
  finished(job: Job, result: GenerationResult): Promise<void>;
  failed(job: Job, error: unknown): Promise<void>;
  cancelled(job: Job): Promise<void>;
  /** Called on every tick for pending jobs: move the reply off an interaction token about to expire. */
  keepReachable(job: Job): Promise<void>;
}
