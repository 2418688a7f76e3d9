import { describe, expect, it } from 'vitest';
import { planDispatch } from '../../src/jobs/dispatch.js';
import {
  type BackendView,
  canUseInteractionToken,
  checkAdmission,
  fairOrder,
  firstRoundSize,
  mayEdit,
  planAssignments,
  probeDelayMs,
  type QueuedJobView,
  takesBackendDown,
} from '../../src/jobs/scheduling.js';

const job = (id: string, userId: string, createdAt: number, model?: string): QueuedJobView => ({
  id,
  userId,
  createdAt,
  model,
});
const backend = (id: string, loadedModel?: string, running = 0, capacity = 1): BackendView => ({
  id,
  healthy: true,
  running,
  capacity,
  loadedModel,
});

/**
 * Drives the runner's own dispatch step (`planDispatch`), on a fake clock: each job arrives at its
 * `createdAt`, runs `durationMs` on whichever backend it was assigned, and frees the slot. Returns the
 * ids in the order they started.
 */
function simulate(jobs: readonly QueuedJobView[], backendCount: number, durationMs: number): string[] {
  const pending = [...jobs].sort((a, b) => a.createdAt - b.createdAt);
  let queued: QueuedJobView[] = [];
  const running: { job: QueuedJobView; backendId: string; endsAt: number }[] = [];
  const lastServed = new Map<string, number>();
  const started: string[] = [];
  let now = 0;
  let stamp = 0;
  while (pending.length > 0 || queued.length > 0 || running.length > 0) {
    while (pending[0] !== undefined && pending[0].createdAt <= now)
      queued.push(pending.shift() as QueuedJobView);
    const runningByUser = new Map<string, number>();
    for (const entry of running)
      runningByUser.set(entry.job.userId, (runningByUser.get(entry.job.userId) ?? 0) + 1);
    const views = Array.from({ length: backendCount }, (_, index) =>
      backend(`b${index}`, undefined, running.filter((entry) => entry.backendId === `b${index}`).length),
    );
    const { assignments } = planDispatch({
      queued,
      runningByUser,
      lastServed,
      backends: views,
      affinity: true,
    });
    for (const assignment of assignments) {
      const next = queued.find((candidate) => candidate.id === assignment.jobId) as QueuedJobView;
      queued = queued.filter((candidate) => candidate !== next);
      stamp += 1;
      lastServed.set(next.userId, stamp);
      started.push(next.id);
      running.push({ job: next, backendId: assignment.backendId, endsAt: now + durationMs });
    }
    // Next event: the earliest finish (one at a time, as the runner sees them) or the next arrival.
    running.sort((a, b) => a.endsAt - b.endsAt);
    const nextFinish = running[0]?.endsAt ?? Number.POSITIVE_INFINITY;
    const nextArrival = pending[0]?.createdAt ?? Number.POSITIVE_INFINITY;
    now = Math.min(nextFinish, nextArrival);
    if (nextFinish <= nextArrival) running.shift();
  }
  return started;
}

const usersOf = (ids: string[]) => ids.map((id) => id.charAt(0).toUpperCase()).join('');

describe('fairOrder with service history', () => {
  it('puts the least recently served member first inside a round', () => {
    // A was served a moment ago; B and C never. All three have their next job in round 0.
    const queued = [job('a3', 'A', 1), job('b1', 'B', 5), job('c1', 'C', 8)];
    const order = fairOrder(queued, new Map(), new Map([['A', 2]]));
    expect(order.map((entry) => entry.id)).toEqual(['b1', 'c1', 'a3']);
  });

  it('rotates between members served before, oldest service first', () => {
    const queued = [job('a3', 'A', 1), job('b2', 'B', 2), job('c2', 'C', 3)];
    const order = fairOrder(
      queued,
      new Map(),
      new Map([
        ['A', 7],
        ['B', 9],
        ['C', 8],
      ]),
    );
    expect(order.map((entry) => entry.id)).toEqual(['a3', 'c2', 'b2']);
  });

  it('still ranks rounds before service history', () => {
    // A has one running, so a3 is in round 1 even though A was served longest ago.
    const queued = [job('a3', 'A', 1), job('b1', 'B', 2)];
    const order = fairOrder(
      queued,
      new Map([['A', 1]]),
      new Map([
        ['A', 1],
        ['B', 5],
      ]),
    );
    expect(order.map((entry) => entry.id)).toEqual(['b1', 'a3']);
  });

  it('keeps creation order among members never served', () => {
    const queued = [job('c1', 'C', 3), job('b1', 'B', 2), job('a1', 'A', 1)];
    expect(fairOrder(queued, new Map(), new Map()).map((entry) => entry.id)).toEqual(['a1', 'b1', 'c1']);
  });
});

describe('fair order over time (fake clock, two backends)', () => {
  it('serves 10 jobs from 3 members round-robin when they all wait at once', () => {
    const jobs = ['a1', 'a2', 'a3', 'a4', 'b1', 'b2', 'b3', 'c1', 'c2', 'c3'].map((id) =>
      job(id, id.charAt(0).toUpperCase(), 0),
    );
    // Same creation time: ids break the tie, so a < b < c.
    expect(usersOf(simulate(jobs, 2, 300))).toBe('ABCABCABCA');
  });

  it('does not let an early batch hold back members who queued after it started', () => {
    // A's first two jobs start at once on the two idle backends; everyone else queues 1 ms later.
    const jobs = [
      job('a1', 'A', 0),
      job('a2', 'A', 0),
      job('a3', 'A', 1),
      job('a4', 'A', 1),
      job('b1', 'B', 1),
      job('b2', 'B', 1),
      job('b3', 'B', 1),
      job('c1', 'C', 1),
      job('c2', 'C', 1),
      job('c3', 'C', 1),
    ];
    const order = simulate(jobs, 2, 300);
    expect(order).toEqual(['a1', 'a2', 'b1', 'c1', 'a3', 'b2', 'c2', 'a4', 'b3', 'c3']);
    // C's first job starts within the first two rounds, never after A's whole batch.
    expect(order.indexOf('c1')).toBeLessThan(order.indexOf('a3'));
  });

  it('gives a newcomer the next free slot even while a heavy user still has a long line', () => {
    const heavy = Array.from({ length: 8 }, (_, index) => job(`a${index + 1}`, 'A', index));
    const order = simulate([...heavy, job('b1', 'B', 650)], 2, 300);
    // b1 arrives at 650 ms, while a5/a6 run; it takes the next slot that frees (at 900 ms).
    expect(order.indexOf('b1')).toBe(6);
  });

  it('keeps each member’s own jobs in the order they asked', () => {
    const jobs = [
      job('b1', 'B', 0),
      job('a1', 'A', 1),
      job('b2', 'B', 2),
      job('a2', 'A', 3),
      job('b3', 'B', 4),
    ];
    const order = simulate(jobs, 1, 100);
    expect(order.filter((id) => id.startsWith('b'))).toEqual(['b1', 'b2', 'b3']);
    expect(order.filter((id) => id.startsWith('a'))).toEqual(['a1', 'a2']);
  });
});

describe('admission caps', () => {
  const limits = { maxPendingPerUser: 3, maxQueueLength: 5 };

  it.each([
    [0, 0, { ok: true }],
    [2, 4, { ok: true }],
    [3, 3, { ok: false, reason: 'user-limit', limit: 3 }],
    [1, 5, { ok: false, reason: 'queue-full', limit: 5 }],
    // Both over: the member's own limit is the more useful thing to tell them.
    [3, 5, { ok: false, reason: 'user-limit', limit: 3 }],
  ] as const)('%i pending for the member, %i in all → %o', (mine, total, expected) => {
    expect(checkAdmission(mine, total, limits)).toEqual(expected);
  });
});

describe('model affinity', () => {
  it('sends a later job with the same new model where the first one is loading it', () => {
    const ordered = [job('j1', 'A', 1, 'm3'), job('j2', 'B', 2, 'm3')];
    const plan = planAssignments(ordered, [backend('b1', 'm1', 0, 2), backend('b2', 'm2')], 2);
    expect(plan).toEqual([
      { jobId: 'j1', backendId: 'b1' },
      { jobId: 'j2', backendId: 'b1' },
    ]);
  });

  it('prefers a backend with nothing known loaded over evicting a loaded model', () => {
    const plan = planAssignments([job('j1', 'A', 1, 'm9')], [backend('b1', 'm1'), backend('b2')], 1);
    expect(plan).toEqual([{ jobId: 'j1', backendId: 'b2' }]);
  });

  it('ignores the model of an unhealthy backend', () => {
    const plan = planAssignments(
      [job('j1', 'A', 1, 'm1')],
      [{ ...backend('b1', 'm1'), healthy: false }, backend('b2', 'm2')],
      1,
    );
    expect(plan).toEqual([{ jobId: 'j1', backendId: 'b2' }]);
  });

  it('counts the first round as one job per member', () => {
    const ordered = fairOrder([job('a1', 'A', 1), job('a2', 'A', 2), job('b1', 'B', 3)]);
    expect(firstRoundSize(ordered)).toBe(2);
    expect(firstRoundSize([])).toBe(0);
  });
});

describe('retry decisions', () => {
  it.each([
    ['unreachable', true],
    ['timeout', true],
    ['unauthorized', true],
    ['api-disabled', true],
    ['server-error', false],
    ['out-of-memory', false],
    ['malformed-response', false],
    ['invalid-request', false],
  ] as const)('a %s failure takes the backend out of rotation: %s', (kind, expected) => {
    expect(takesBackendDown(kind)).toBe(expected);
  });

  it('probes a down backend after 1 s, then backs off to at most a minute', () => {
    expect([0, 1, 2, 3, 4, 6, 7, 50].map(probeDelayMs)).toEqual([
      1000, 1000, 2000, 4000, 8000, 32_000, 60_000, 60_000,
    ]);
  });
});

describe('interaction token expiry on a fake clock', () => {
  const LIFETIME_MS = 15 * 60_000;
  const receivedAt = 1_700_000_000_000;
  const expiresAt = receivedAt + LIFETIME_MS;

  it.each([
    [0, true],
    [13 * 60_000, true],
    [14 * 60_000 - 1, true],
    // One minute of margin before Discord's deadline.
    [14 * 60_000, false],
    [15 * 60_000, false],
    [16 * 60_000, false],
  ])('%i ms after the command, the token is usable: %s', (elapsed, expected) => {
    expect(canUseInteractionToken(expiresAt, receivedAt + elapsed)).toBe(expected);
  });

  it('honours a custom margin', () => {
    expect(canUseInteractionToken(expiresAt, expiresAt - 1, 0)).toBe(true);
    expect(canUseInteractionToken(expiresAt, expiresAt, 0)).toBe(false);
  });
});

describe('edit throttle on a fake clock', () => {
  it('lets one edit through per interval, the boundary included', () => {
    let last: number | undefined;
    const sent: number[] = [];
    for (let now = 0; now <= 1000; now += 50) {
      if (mayEdit(last, now, 250)) {
        sent.push(now);
        last = now;
      }
    }
    expect(sent).toEqual([0, 250, 500, 750, 1000]);
  });
});
