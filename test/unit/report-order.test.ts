import { describe, expect, it } from 'vitest';
import type { QueueSnapshot } from '../../src/jobs/queue-snapshot.js';
import { createReportOrder } from '../../src/jobs/report-order.js';
import type { JobReporter, QueueNote } from '../../src/jobs/reporter.js';
import type { Job } from '../../src/jobs/types.js';
import { createLogger } from '../../src/log.js';
import type { QueueJob } from '../../src/queue/job-queue.js';
import { sampleJob } from '../support/sample-job.js';

const lease = (job: Job, lockedBy: string | null): QueueJob => ({
  ...job,
  lockedBy,
  lockedAt: lockedBy === null ? null : 0,
  leaseExpiresAt: lockedBy === null ? null : 1,
  cancelRequested: false,
  failedOn: null,
});

/** A snapshot whose next read finds `after`: the job in line, or leased to a worker. */
function snapshotReading(after: { line: QueueJob[]; running: QueueJob[] }): QueueSnapshot {
  let line: QueueJob[] = [];
  let running: QueueJob[] = [];
  return {
    get line() {
      return line;
    },
    get running() {
      return running;
    },
    position(jobId) {
      const index = line.findIndex((job) => job.id === jobId);
      return index < 0 ? undefined : { position: index + 1, total: line.length };
    },
    countFor: () => 0,
    claimed: () => undefined,
    refresh: async () => {
      ({ line, running } = after);
    },
    refreshSoon: async () => undefined,
    behind: false,
  };
}

function orderOn(snapshot: QueueSnapshot) {
  const told: { what: string; position?: number; total?: number; note?: QueueNote }[] = [];
  const reporter = {
    queued: async (_job, position, total, note) => {
      told.push({ what: 'queued', position, total, note });
    },
    running: async () => {
      told.push({ what: 'running' });
    },
  } as Pick<JobReporter, 'queued' | 'running'> as JobReporter;
  const pending: Promise<unknown>[] = [];
  const order = createReportOrder({
    snapshot,
    reporter,
    log: createLogger({ level: 'silent' }),
    track: (promise) => pending.push(promise),
    worker: 'w1',
  });
  const settled = async () => {
    while (pending.length > 0) await Promise.all(pending.splice(0));
  };
  return { order, reporter, told, settled };
}

describe('the order of a retried job’s updates', () => {
  const job = sampleJob({ state: 'queued', attempts: 1 });

  it('tells "retrying" at the job’s place when the read finds it back in line', async () => {
    const other = lease(sampleJob({ id: 'other', state: 'queued' }), null);
    const { order, told, settled } = orderOn(
      snapshotReading({ line: [other, lease(job, null)], running: [] }),
    );
    await order.noteRetrying(job);
    await settled();
    expect(told).toEqual([{ what: 'queued', position: 2, total: 2, note: 'retrying' }]);
  });

  it('tells "retrying" first when the read finds the job claimed again here, its start not reported yet', async () => {
    const { order, reporter, told, settled } = orderOn(
      snapshotReading({ line: [], running: [lease(job, 'w1')] }),
    );
    await order.noteRetrying(job);
    order.report('running', job, () => reporter.running(job, null));
    await settled();
    expect(told).toEqual([{ what: 'queued', position: 1, total: 1, note: 'retrying' }, { what: 'running' }]);
  });

  it('holds back a start reported while the note reads the line, and sends it after the note', async () => {
    const { order, reporter, told, settled } = orderOn(snapshotReading({ line: [], running: [] }));
    const note = order.noteRetrying(job);
    order.report('running', job, () => reporter.running(job, null));
    await note;
    await settled();
    expect(told).toEqual([{ what: 'queued', position: 1, total: 1, note: 'retrying' }, { what: 'running' }]);
  });

  it('leaves the story to the process that took the job when the read finds it leased elsewhere', async () => {
    const { order, told, settled } = orderOn(snapshotReading({ line: [], running: [lease(job, 'w2')] }));
    await order.noteRetrying(job);
    await settled();
    expect(told).toEqual([]);
  });
});
