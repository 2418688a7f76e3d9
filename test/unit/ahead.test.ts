import { describe, expect, it } from 'vitest';
import { aheadDelayMs, costKey, createAhead } from '../../src/jobs/ahead.js';
import type { Job } from '../../src/jobs/types.js';
import { createLogger } from '../../src/log.js';
import type { QueueJob } from '../../src/queue/job-queue.js';
import { sampleJob } from '../support/sample-job.js';

const job = (id: string, params: Partial<Job['params']> = {}): Job => sampleJob({ id }, params);
const queued = (id: string): QueueJob => ({
  ...job(id),
  lockedBy: 'w1',
  lockedAt: 0,
  leaseExpiresAt: 60_000,
  cancelRequested: false,
  failedOn: null,
});

describe('costKey', () => {
  it('is the same for jobs that differ in words and seed only, and differs in what the server works through', () => {
    const one = job('a', { prompt: 'a lighthouse', negativePrompt: 'fog', seed: 1 });
    expect(costKey(job('b', { prompt: 'a castle', negativePrompt: '', seed: 99 }))).toBe(costKey(one));
    for (const change of [
      { width: 768 },
      { height: 768 },
      { steps: 30 },
      { count: 4 },
      { sampler: 'DPM++ 2M' },
      { model: 'other.safetensors' },
      { hires: { scale: 2, width: 1024, height: 1024, upscaler: 'Latent', denoise: 0.5, steps: 10 } },
    ] as Partial<Job['params']>[]) {
      expect(costKey(job('c', change))).not.toBe(costKey(one));
    }
    expect(costKey({ ...one, kind: 'img2img' })).not.toBe(costKey(one));
  });
});

describe('aheadDelayMs', () => {
  it('is the last like answer less the lead, never below 0, and none without a like answer or a lead', () => {
    expect(aheadDelayMs({ key: 'k', ms: 200 }, 'k', 40)).toBe(160);
    expect(aheadDelayMs({ key: 'k', ms: 20 }, 'k', 40)).toBe(0);
    expect(aheadDelayMs({ key: 'k', ms: 200 }, 'other', 40)).toBeUndefined();
    expect(aheadDelayMs(undefined, 'k', 40)).toBeUndefined();
    expect(aheadDelayMs({ key: 'k', ms: 200 }, 'k', 0)).toBeUndefined();
  });
});

describe('createAhead', () => {
  function setup() {
    const claims: { backendId: string; behind: string }[] = [];
    const started: string[] = [];
    const givenBack: string[] = [];
    let answer: QueueJob | undefined = queued('next');
    let clock = 0;
    const ahead = createAhead({
      leadMs: 40,
      log: createLogger({ level: 'silent' }),
      claim: async (backendId, behind) => {
        claims.push({ backendId, behind: behind.id });
        return answer;
      },
      ready: () => true,
      start: (held) => started.push(held.id),
      end: (held, _backendId, outcome) => {
        if (outcome.type === 'stopped') givenBack.push(held.id);
      },
      schedule: () => undefined,
      track: () => undefined,
      now: () => clock,
    });
    return {
      ahead,
      claims,
      started,
      givenBack,
      set: (next: QueueJob | undefined) => {
        answer = next;
      },
      tick: (ms: number) => {
        clock += ms;
      },
    };
  }
  const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

  it('foretells a backend’s first like job from another backend’s last answer', async () => {
    const { ahead, claims } = setup();
    ahead.answered(job('first'), 'gpu-1', 50);
    ahead.started(job('second'), 'gpu-2');
    await wait(30);
    expect(claims).toEqual([{ backendId: 'gpu-2', behind: 'second' }]);
  });

  it('foretells the jobs sent before any like answer from the first one, by the time they have run', async () => {
    const { ahead, claims, tick } = setup();
    ahead.started(job('overdue'), 'gpu-3');
    tick(100);
    ahead.started(job('early'), 'gpu-1');
    ahead.started(job('unlike', { steps: 60 }), 'gpu-4');
    tick(80);
    ahead.started(job('sent-now'), 'gpu-2');
    await wait(20);
    expect(claims).toEqual([]);
    tick(20);
    // A like job answered in 150 ms: `early` has run 100 of them (its claim due in 150 - 40 - 100
    // = 10 ms), `sent-now` 20 (in 90 ms); `overdue` has run 200, past the answer foreseen.
    ahead.answered(job('first'), 'gpu-0', 150);
    await wait(45);
    expect(claims).toEqual([{ backendId: 'gpu-1', behind: 'early' }]);
    await wait(90);
    expect(claims).toEqual([
      { backendId: 'gpu-1', behind: 'early' },
      { backendId: 'gpu-2', behind: 'sent-now' },
    ]);
    // Once answered, a job is foretold no more; one unlike the answers never is.
    ahead.answered(job('sent-now'), 'gpu-2', 150);
    await wait(20);
    expect(claims.map((claim) => claim.behind)).not.toContain('unlike');
    expect(claims.map((claim) => claim.behind)).not.toContain('overdue');
  });

  it('hands the held job over only on the answer of the job it follows, and gives it back at stop', async () => {
    const { ahead, claims, started, givenBack, set } = setup();
    ahead.answered(job('first'), 'gpu-1', 45);
    ahead.started(job('second'), 'gpu-1');
    await wait(30);
    expect(claims).toHaveLength(1);
    expect(ahead.ids()).toEqual(['next']);
    expect(ahead.answered(job('other'), 'gpu-1')).toBe(false);
    expect(started).toEqual([]);
    expect(ahead.answered(job('second'), 'gpu-1', 45)).toBe(true);
    expect(started).toEqual(['next']);
    expect(ahead.ids()).toEqual([]);

    set(queued('later'));
    ahead.started(job('third'), 'gpu-1');
    await wait(30);
    expect(ahead.ids()).toEqual(['later']);
    ahead.stop();
    expect(givenBack).toEqual(['later']);
    expect(ahead.ids()).toEqual([]);
    // Nothing is set after a stop.
    ahead.started(job('fourth'), 'gpu-1');
    await wait(30);
    expect(claims).toHaveLength(2);
  });
});
