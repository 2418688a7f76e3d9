import { describe, expect, it } from 'vitest';
import { createEditLane } from '../../src/discord/delivery/edit-lane.js';

/** A task that runs until `finish()` is called, recording how many run at once. */
function gate(log: string[], counter: { now: number; max: number }, name: string) {
  let finish = () => {};
  const done = new Promise<void>((resolve) => {
    finish = resolve;
  });
  return {
    task: async () => {
      counter.now++;
      counter.max = Math.max(counter.max, counter.now);
      log.push(`start ${name}`);
      await done;
      counter.now--;
    },
    finish: () => finish(),
  };
}

const flush = () => new Promise((resolve) => setImmediate(resolve));

describe('createEditLane', () => {
  it('runs at most `width` edits at once, the rest in the order they came', async () => {
    const lane = createEditLane(2);
    const log: string[] = [];
    const counter = { now: 0, max: 0 };
    const gates = ['a', 'b', 'c', 'd'].map((name) => gate(log, counter, name));
    const runs = gates.map((g, i) => lane.run(`job${i}`, g.task));
    await flush();
    expect(log).toEqual(['start a', 'start b']);
    gates[1]?.finish();
    await flush();
    expect(log).toEqual(['start a', 'start b', 'start c']);
    for (const g of gates) g.finish();
    await Promise.all(runs);
    expect(log).toEqual(['start a', 'start b', 'start c', 'start d']);
    expect(counter.max).toBe(2);
  });

  it('drops a job’s waiting edits once its final state is known, and keeps others', async () => {
    const lane = createEditLane(1);
    const log: string[] = [];
    const counter = { now: 0, max: 0 };
    const first = gate(log, counter, 'first');
    const stale = gate(log, counter, 'stale');
    const other = gate(log, counter, 'other');
    const runs = [lane.run('x', first.task), lane.run('y', stale.task), lane.run('z', other.task)];
    await flush();
    lane.drop('y');
    await runs[1];
    first.finish();
    other.finish();
    await Promise.all(runs);
    expect(log).toEqual(['start first', 'start other']);
  });

  it('frees the slot when an edit fails', async () => {
    const lane = createEditLane(1);
    await expect(lane.run('a', () => Promise.reject(new Error('429')))).rejects.toThrow('429');
    let ran = false;
    await lane.run('b', async () => {
      ran = true;
    });
    expect(ran).toBe(true);
  });
});
