import { describe, expect, it } from 'vitest';
import { planDispatch } from '../../src/jobs/dispatch.js';
import type { BackendView, QueuedJobView } from '../../src/jobs/scheduling.js';

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
const ids = (jobs: readonly QueuedJobView[]) => jobs.map((entry) => entry.id);

describe('planDispatch', () => {
  it('puts the line in fair order and fills free slots from its head when there are no models', () => {
    const queued = [job('a1', 'A', 1), job('a2', 'A', 2), job('b1', 'B', 3), job('c1', 'C', 4)];
    const plan = planDispatch({
      queued,
      runningByUser: new Map(),
      lastServed: new Map(),
      backends: [backend('x'), backend('y')],
      affinity: true,
    });
    expect(ids(plan.line)).toEqual(['a1', 'b1', 'c1', 'a2']);
    expect(plan.assignments).toEqual([
      { jobId: 'a1', backendId: 'x' },
      { jobId: 'b1', backendId: 'y' },
    ]);
  });

  it('lets a member who has a job running wait a round, and the least recently served go first', () => {
    const queued = [job('a2', 'A', 1), job('b1', 'B', 2), job('c1', 'C', 3)];
    const plan = planDispatch({
      queued,
      runningByUser: new Map([['A', 1]]),
      // C was served more recently than B.
      lastServed: new Map([
        ['A', 5],
        ['B', 1],
        ['C', 3],
      ]),
      backends: [backend('x')],
      affinity: true,
    });
    expect(ids(plan.line)).toEqual(['b1', 'c1', 'a2']);
    expect(plan.assignments).toEqual([{ jobId: 'b1', backendId: 'x' }]);
  });

  it('sends a job of the first round to the backend holding its model ahead of the line', () => {
    // b1 is second in line but its model is loaded on the only free backend; a1's is not loaded anywhere.
    const queued = [job('a1', 'A', 1, 'm1'), job('b1', 'B', 2, 'm2')];
    const plan = planDispatch({
      queued,
      runningByUser: new Map(),
      lastServed: new Map(),
      backends: [backend('x', 'm2')],
      affinity: true,
    });
    expect(ids(plan.line)).toEqual(['a1', 'b1']);
    expect(plan.assignments).toEqual([{ jobId: 'b1', backendId: 'x' }]);
  });

  it('looks for a loaded model only within the first round of the line', () => {
    // a2 is in round 1 (A's second job): affinity does not let it pass b1.
    const queued = [job('a1', 'A', 1, 'm1'), job('a2', 'A', 2, 'm2'), job('b1', 'B', 3, 'm3')];
    const plan = planDispatch({
      queued,
      runningByUser: new Map(),
      lastServed: new Map(),
      backends: [backend('x', 'm2')],
      affinity: true,
    });
    expect(ids(plan.line)).toEqual(['a1', 'b1', 'a2']);
    expect(plan.assignments).toEqual([{ jobId: 'a1', backendId: 'x' }]);
  });

  it('takes the line in plain order when affinity is off', () => {
    const queued = [job('a1', 'A', 1, 'm1'), job('b1', 'B', 2, 'm2')];
    const input = {
      queued,
      runningByUser: new Map<string, number>(),
      lastServed: new Map<string, number>(),
      backends: [backend('x', 'm2')],
    };
    expect(planDispatch({ ...input, affinity: false }).assignments).toEqual([
      { jobId: 'a1', backendId: 'x' },
    ]);
    // The same input with affinity on: the loaded model wins (so the switch above is what changed it).
    expect(planDispatch({ ...input, affinity: true }).assignments).toEqual([{ jobId: 'b1', backendId: 'x' }]);
  });

  it('never assigns a job to a backend the eligible predicate excludes', () => {
    const queued = [job('up1', 'A', 1), job('t1', 'B', 2)];
    const seen: [string, string][] = [];
    const plan = planDispatch({
      queued,
      runningByUser: new Map(),
      lastServed: new Map(),
      backends: [backend('plain'), backend('upscaler')],
      affinity: true,
      eligible: (candidate, backendId) => {
        seen.push([candidate.id, backendId]);
        return candidate.id !== 'up1' || backendId === 'upscaler';
      },
    });
    // up1 skips the first free backend for the one that can take it; t1 gets the other.
    expect(plan.assignments).toEqual([
      { jobId: 'up1', backendId: 'upscaler' },
      { jobId: 't1', backendId: 'plain' },
    ]);
    // The predicate is handed the job itself, not only its id.
    expect(seen).toContainEqual(['up1', 'plain']);
  });

  it('leaves a job in line when no free backend is eligible, and serves the next one', () => {
    const queued = [job('up1', 'A', 1), job('t1', 'B', 2)];
    const plan = planDispatch({
      queued,
      runningByUser: new Map(),
      lastServed: new Map(),
      backends: [backend('plain')],
      affinity: true,
      eligible: (candidate) => candidate.id !== 'up1',
    });
    expect(ids(plan.line)).toEqual(['up1', 't1']);
    expect(plan.assignments).toEqual([{ jobId: 't1', backendId: 'plain' }]);
  });

  it('assigns nothing when no backend is eligible for any job', () => {
    const plan = planDispatch({
      queued: [job('a1', 'A', 1), job('b1', 'B', 2)],
      runningByUser: new Map(),
      lastServed: new Map(),
      backends: [backend('x'), backend('y')],
      affinity: true,
      eligible: () => false,
    });
    expect(plan.assignments).toEqual([]);
    expect(ids(plan.line)).toEqual(['a1', 'b1']);
  });

  it('assigns nothing to busy or unhealthy backends, and nothing from an empty line', () => {
    const queued = [job('a1', 'A', 1)];
    const plan = planDispatch({
      queued,
      runningByUser: new Map(),
      lastServed: new Map(),
      backends: [backend('busy', undefined, 1, 1), { ...backend('down'), healthy: false }],
      affinity: true,
    });
    expect(plan.assignments).toEqual([]);
    expect(
      planDispatch({
        queued: [],
        runningByUser: new Map(),
        lastServed: new Map(),
        backends: [backend('x')],
        affinity: true,
      }),
    ).toEqual({ line: [], assignments: [] });
  });

  it('fills every slot of a backend with concurrency above one', () => {
    const queued = [job('a1', 'A', 1), job('b1', 'B', 2), job('c1', 'C', 3)];
    const plan = planDispatch({
      queued,
      runningByUser: new Map(),
      lastServed: new Map(),
      backends: [backend('x', undefined, 1, 3)],
      affinity: true,
    });
    expect(plan.assignments).toEqual([
      { jobId: 'a1', backendId: 'x' },
      { jobId: 'b1', backendId: 'x' },
    ]);
  });
});
