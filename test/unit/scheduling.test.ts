import { describe, expect, it } from 'vitest';
import {
  canUseInteractionToken,
  checkAdmission,
  decideAfterFailure,
  fairOrder,
  firstRoundSize,
  mayEdit,
  planAssignments,
  probeDelayMs,
} from '../../src/jobs/scheduling.js';

const job = (id: string, userId: string, createdAt: number, model?: string) => ({
  id,
  userId,
  createdAt,
  model,
});

describe('fairOrder', () => {
  it('interleaves users round-robin so one member cannot hold everyone back', () => {
    const queued = [
      job('a1', 'A', 1),
      job('a2', 'A', 2),
      job('a3', 'A', 3),
      job('a4', 'A', 4),
      job('b1', 'B', 5),
      job('c1', 'C', 6),
      job('b2', 'B', 7),
    ];
    expect(fairOrder(queued).map((entry) => entry.id)).toEqual(['a1', 'b1', 'c1', 'a2', 'b2', 'a3', 'a4']);
  });

  it('starts a user with a running job one round later', () => {
    const queued = [job('a2', 'A', 1), job('b1', 'B', 2)];
    expect(fairOrder(queued, new Map([['A', 1]])).map((entry) => entry.id)).toEqual(['b1', 'a2']);
  });
});

describe('planAssignments', () => {
  const backend = (id: string, loadedModel?: string, running = 0) => ({
    id,
    healthy: true,
    running,
    capacity: 1,
    loadedModel,
  });

  it('prefers a backend whose loaded model matches', () => {
    const ordered = [job('j1', 'A', 1, 'm1'), job('j2', 'B', 2, 'm2')];
    const plan = planAssignments(ordered, [backend('b1', 'm2'), backend('b2', 'm1')], 2);
    expect(plan).toEqual([
      { jobId: 'j1', backendId: 'b2' },
      { jobId: 'j2', backendId: 'b1' },
    ]);
  });

  it('lets a matching job in the first round go ahead of a non-matching head', () => {
    const ordered = [job('j1', 'A', 1, 'm2'), job('j2', 'B', 2, 'm1')];
    const plan = planAssignments(ordered, [backend('b1', 'm1')], firstRoundSize(ordered));
    expect(plan).toEqual([{ jobId: 'j2', backendId: 'b1' }]);
  });

  it('does not let affinity reach past the first round', () => {
    const ordered = fairOrder([job('j1', 'A', 1, 'm2'), job('j2', 'A', 2, 'm1')]);
    const plan = planAssignments(ordered, [backend('b1', 'm1')], firstRoundSize(ordered));
    expect(plan).toEqual([{ jobId: 'j1', backendId: 'b1' }]);
  });

  it('takes the line in order when affinity is off (no models, window 0)', () => {
    const ordered = [job('j1', 'A', 1), job('j2', 'B', 2)];
    const plan = planAssignments(ordered, [backend('b1', 'm2'), backend('b2', 'm1')], 0);
    expect(plan).toEqual([
      { jobId: 'j1', backendId: 'b1' },
      { jobId: 'j2', backendId: 'b2' },
    ]);
  });

  it('skips busy and unhealthy backends', () => {
    const ordered = [job('j1', 'A', 1)];
    expect(
      planAssignments(ordered, [backend('b1', undefined, 1), { ...backend('b2'), healthy: false }], 1),
    ).toEqual([]);
  });

  it('fills every free slot', () => {
    const ordered = [job('j1', 'A', 1), job('j2', 'B', 2), job('j3', 'C', 3)];
    const plan = planAssignments(ordered, [{ ...backend('b1'), capacity: 2 }, backend('b2')], 3);
    expect(plan).toHaveLength(3);
  });
});

describe('checkAdmission', () => {
  const limits = { maxPendingPerUser: 2, maxQueueLength: 5 };
  it.each([
    [0, 0, { ok: true }],
    [2, 2, { ok: false, reason: 'user-limit', limit: 2 }],
    [1, 5, { ok: false, reason: 'queue-full', limit: 5 }],
  ])('user %i, total %i', (user, total, expected) => {
    expect(checkAdmission(user, total, limits)).toEqual(expected);
  });
});

describe('decideAfterFailure', () => {
  it.each([
    ['unreachable', 1, 3, 1, 'retry'],
    ['unreachable', 3, 3, 1, 'fail'],
    ['unreachable', 1, 3, 0, 'fail'],
    ['timeout', 1, 3, 1, 'retry'],
    ['out-of-memory', 1, 3, 1, 'fail'],
    ['invalid-request', 1, 3, 1, 'fail'],
    ['server-error', 1, 3, 0, 'fail'],
    ['server-error', 1, 3, 1, 'retry'],
    ['timeout', 2, 3, 1, 'retry'],
    ['timeout', 3, 3, 1, 'fail'],
    ['unauthorized', 1, 3, 1, 'retry'],
    ['api-disabled', 1, 3, 1, 'retry'],
    ['malformed-response', 1, 3, 1, 'retry'],
    ['unknown', 1, 3, 2, 'fail'],
  ] as const)(
    '%s after %i of %i attempts with %i other healthy → %s',
    (kind, attempts, max, others, expected) => {
      expect(decideAfterFailure(kind, attempts, max, others)).toBe(expected);
    },
  );
});

describe('timing decisions', () => {
  it('backs off probes exponentially up to a minute', () => {
    expect([1, 2, 3, 10].map(probeDelayMs)).toEqual([1000, 2000, 4000, 60_000]);
  });

  it('stops trusting an interaction token a minute before it expires', () => {
    const expiresAt = 15 * 60_000;
    expect(canUseInteractionToken(expiresAt, 13 * 60_000)).toBe(true);
    expect(canUseInteractionToken(expiresAt, 14 * 60_000 + 1)).toBe(false);
  });

  it('throttles edits to one per interval', () => {
    expect(mayEdit(undefined, 0, 1500)).toBe(true);
    expect(mayEdit(1000, 2000, 1500)).toBe(false);
    expect(mayEdit(1000, 2500, 1500)).toBe(true);
  });
});
