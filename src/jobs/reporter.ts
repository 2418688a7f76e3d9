import type { EngineProgress, EngineResult } from '../engines/types.js';
import type { Job } from './types.js';

export type QueueNote = 'restarted' | 'retrying' | undefined;

/**
 * How the job runner tells the outside world (Discord) what happens to a job. Implementations
 * never throw: a delivery failure is theirs to log and recover from. Progress updates (`queued`,
 * `running`) may come as often as the runner learns something: the delivery side throttles them.
 */
export interface JobReporter {
  queued(job: Job, position: number, total: number, note: QueueNote): Promise<void>;
  running(job: Job, progress: EngineProgress | null): Promise<void>;
  /**
   * An image of the job's answer is in, before the rest of it: delivery may start work on it (the
   * grid's cell). Synchronous and cheap; `finished` follows with the result holding this buffer.
   */
  imageArrived(job: Job, image: Buffer): void;
  /**
   * `kept`, when given, settles once the originals are kept for the result buttons, or once the
   * runner stops waiting for them (`KEPT_WAIT_MS`): the reply (and so its buttons) goes out after
   * it; work before that (the grid) need not wait.
   */
  finished(job: Job, result: EngineResult, kept?: Promise<void>): Promise<void>;
  failed(job: Job, error: unknown): Promise<void>;
  cancelled(job: Job): Promise<void>;
  /** Called on every tick for pending jobs: move the reply off an interaction token about to expire. */
  keepReachable(job: Job): Promise<void>;
}
