import { describe, expect, it } from 'vitest';
import { inAnyOrder } from '../../src/jobs/claim-plan.js';
import type { QueueJob } from '../../src/queue/job-queue.js';
import { sampleJob } from '../support/sample-job.js';

const queued = (id: string, model?: string): QueueJob => ({
  ...sampleJob({ id }, model === undefined ? {} : { model }),
  lockedBy: null,
  lockedAt: null,
  leaseExpiresAt: null,
  cancelRequested: false,
  failedOn: null,
});
const backends = (...models: (string | undefined)[]) =>
  models.map((loadedModel, i) => ({ id: `gpu-${i + 1}`, loadedModel }));
const anyone = () => true;

describe('inAnyOrder', () => {
  const line = [queued('a'), queued('b'), queued('c')];

  it('lets claims for backends with one model loaded, each able to take the head of the line, go at once', () => {
    expect(inAnyOrder(['gpu-1', 'gpu-2'], line, backends('m', 'm'), true, anyone)).toBe(true);
    expect(inAnyOrder(['gpu-1', 'gpu-2'], line, backends('m', 'n'), false, anyone)).toBe(true);
  });

  it('keeps plan order where a loaded model would choose, or a backend may not take a job at the head', () => {
    expect(inAnyOrder(['gpu-1', 'gpu-2'], line, backends('m', 'n'), true, anyone)).toBe(false);
    const onlyFirst = (job: QueueJob, backendId: string) => job.id !== 'b' || backendId === 'gpu-1';
    expect(inAnyOrder(['gpu-1', 'gpu-2'], line, backends('m', 'm'), true, onlyFirst)).toBe(false);
    // A job past the ones the round can take does not matter.
    const notC = (job: QueueJob, backendId: string) => job.id !== 'c' || backendId === 'gpu-1';
    expect(inAnyOrder(['gpu-1', 'gpu-2'], line, backends('m', 'm'), true, notC)).toBe(true);
  });

  it('has nothing to order with one claim', () => {
    expect(inAnyOrder(['gpu-1'], line, backends('m', 'm'), true, anyone)).toBe(false);
  });
});
