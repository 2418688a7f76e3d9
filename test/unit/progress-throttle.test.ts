import { describe, expect, it } from 'vitest';
import { throttleProgress } from '../../src/discord/delivery/progress-throttle.js';
import type { JobReporter } from '../../src/jobs/reporter.js';
import type { Job } from '../../src/jobs/types.js';

const INTERVAL_MS = 1000;

function setup() {
  const clock = { now: 0 };
  const sent: string[] = [];
  const inner: JobReporter = {
    queued: async (job, position, total, note) => {
      sent.push(`${job.id} queued ${position}/${total}${note === undefined ? '' : ` ${note}`}`);
    },
    running: async (job, progress) => {
      sent.push(`${job.id} running ${progress === null ? 'start' : String(progress.step)}`);
    },
    finished: async (job) => {
      sent.push(`${job.id} finished`);
    },
    failed: async (job) => {
      sent.push(`${job.id} failed`);
    },
    cancelled: async (job) => {
      sent.push(`${job.id} cancelled`);
    },
    imageArrived: (job) => {
      sent.push(`${job.id} image`);
    },
    keepReachable: async (job) => {
      sent.push(`${job.id} keepReachable`);
    },
  };
  return { clock, sent, reporter: throttleProgress(inner, INTERVAL_MS, () => clock.now) };
}

const job = (id: string) => ({ id }) as Job;
const step = (n: number) => ({ state: 'running' as const, step: n, steps: 20 });

describe('throttleProgress', () => {
  it('passes one place-in-line edit per interval and never the same place twice', async () => {
    const { clock, sent, reporter } = setup();
    const a = job('a');
    await reporter.queued(a, 3, 3, undefined);
    await reporter.queued(a, 3, 3, undefined);
    clock.now = 5000;
    // Unchanged, however long since: nobody needs it.
    await reporter.queued(a, 3, 3, undefined);
    await reporter.queued(a, 2, 3, undefined);
    clock.now = 5500;
    // Changed, but too soon after the last edit: dropped (the next tick offers it again).
    await reporter.queued(a, 1, 3, undefined);
    expect(sent).toEqual(['a queued 3/3', 'a queued 2/3']);
    clock.now = 6000;
    await reporter.queued(a, 1, 3, undefined);
    clock.now = 8000;
    await reporter.queued(a, 1, 3, undefined);
    expect(sent).toEqual(['a queued 3/3', 'a queued 2/3', 'a queued 1/3']);
  });

  it('edits a place far back in line less often than one near the front, ten intervals at most', async () => {
    const { clock, sent, reporter } = setup();
    const [near, far, last] = [job('near'), job('far'), job('last')];
    await reporter.queued(near, 10, 500, undefined);
    await reporter.queued(far, 35, 500, undefined);
    await reporter.queued(last, 480, 500, undefined);
    for (const at of [1000, 2000, 3000, 4000, 9000, 10_000]) {
      clock.now = at;
      const moved = at / 1000;
      await reporter.queued(near, Math.max(1, 10 - moved), 500, undefined);
      await reporter.queued(far, 35 - moved, 500, undefined);
      await reporter.queued(last, 480 - moved, 500, undefined);
    }
    // Near the front every interval; at 35, every fourth; at 480, every tenth.
    expect(sent.filter((line) => line.startsWith('near ')).map((line) => line.split(' ')[2])).toEqual([
      '10/500',
      '9/500',
      '8/500',
      '7/500',
      '6/500',
      '1/500',
    ]);
    expect(sent.filter((line) => line.startsWith('far '))).toEqual([
      'far queued 35/500',
      'far queued 31/500',
      'far queued 26/500',
    ]);
    expect(sent.filter((line) => line.startsWith('last '))).toEqual([
      'last queued 480/500',
      'last queued 470/500',
    ]);
  });

  it('always lets a notice through', async () => {
    const { sent, reporter } = setup();
    const a = job('a');
    await reporter.queued(a, 1, 1, undefined);
    await reporter.queued(a, 1, 1, 'retrying');
    await reporter.queued(a, 1, 1, 'restarted');
    expect(sent).toEqual(['a queued 1/1', 'a queued 1/1 retrying', 'a queued 1/1 restarted']);
  });

  it('passes a change of state at once and then one progress edit per interval', async () => {
    const { clock, sent, reporter } = setup();
    const a = job('a');
    await reporter.queued(a, 1, 1, undefined);
    clock.now = 10;
    await reporter.running(a, null);
    await reporter.running(a, step(1));
    clock.now = 900;
    await reporter.running(a, step(2));
    clock.now = 1010;
    await reporter.running(a, step(3));
    clock.now = 1500;
    await reporter.running(a, step(4));
    expect(sent).toEqual(['a queued 1/1', 'a running start', 'a running 3']);
  });

  it('lets the start of a new attempt through even right after progress', async () => {
    const { clock, sent, reporter } = setup();
    const a = job('a');
    await reporter.running(a, null);
    clock.now = 100;
    // Retried: back in line (a notice), then started again.
    await reporter.queued(a, 1, 1, 'retrying');
    await reporter.running(a, null);
    await reporter.running(a, null);
    expect(sent).toEqual(['a running start', 'a queued 1/1 retrying', 'a running start', 'a running start']);
  });

  it('passes every final update at once and forgets the job', async () => {
    const { sent, reporter } = setup();
    for (const [id, end] of [
      ['a', 'finished'],
      ['b', 'failed'],
      ['c', 'cancelled'],
    ] as const) {
      const j = job(id);
      await reporter.running(j, null);
      if (end === 'finished')
        await reporter.finished(j, {
          images: [],
          seeds: [],
          model: null,
          modelHash: null,
          sampler: null,
          infotexts: [],
        });
      else if (end === 'failed') await reporter.failed(j, new Error('x'));
      else await reporter.cancelled(j);
      // Forgotten: a later offer (a new job under the same id is impossible, but the map must not grow) goes out.
      await reporter.running(j, step(1));
    }
    expect(sent).toEqual([
      'a running start',
      'a finished',
      'a running 1',
      'b running start',
      'b failed',
      'b running 1',
      'c running start',
      'c cancelled',
      'c running 1',
    ]);
  });

  it('passes every early image on at once, however soon after progress', async () => {
    const { sent, reporter } = setup();
    await reporter.running(job('a'), null);
    reporter.imageArrived(job('a'), Buffer.from('one'));
    reporter.imageArrived(job('a'), Buffer.from('two'));
    expect(sent).toEqual(['a running start', 'a image', 'a image']);
  });

  it('throttles each job on its own and passes keepReachable untouched', async () => {
    const { sent, reporter } = setup();
    await reporter.running(job('a'), null);
    await reporter.running(job('b'), null);
    await reporter.running(job('a'), step(1));
    await reporter.keepReachable(job('a'));
    await reporter.keepReachable(job('a'));
    expect(sent).toEqual(['a running start', 'b running start', 'a keepReachable', 'a keepReachable']);
  });
});
