import { describe, expect, it } from 'vitest';
import { parseIndexChange } from '../../src/jobs/postgres-image-index.js';
import { checkChannelName, createSerialSteps } from '../../src/store/postgres-notifications.js';

describe('createSerialSteps', () => {
  it('runs steps one after another when an earlier one is slower', async () => {
    const done: string[] = [];
    const steps = createSerialSteps(() => undefined);
    steps.run(async () => {
      await new Promise((resolve) => setTimeout(resolve, 30));
      done.push('slow');
    });
    steps.run(() => done.push('quick'));
    await steps.idle();
    expect(done).toEqual(['slow', 'quick']);
  });

  it('reports a failed step and still runs the next when a step throws', async () => {
    const errors: unknown[] = [];
    const done: string[] = [];
    const steps = createSerialSteps((error) => errors.push(error));
    steps.run(() => {
      throw new Error('boom');
    });
    await expect(
      steps.wait(() => {
        throw new Error('mine');
      }),
    ).rejects.toThrow('mine');
    steps.run(() => done.push('next'));
    await steps.idle();
    expect(errors.map((error) => (error instanceof Error ? error.message : error))).toEqual(['boom']);
    expect(done).toEqual(['next']);
  });
});

describe('checkChannelName', () => {
  it.each(['settings_changed', 'image_index', '_x1'])('accepts %s', (name) => {
    expect(checkChannelName(name)).toBe(name);
  });
  it.each(['Settings', '1abc', 'a-b', 'a; DROP TABLE kv', ''])('refuses %j', (name) => {
    expect(() => checkChannelName(name)).toThrow(/not a plain channel name/);
  });
});

describe('parseIndexChange', () => {
  it.each([
    [
      '{"type":"saved","jobId":"j","count":2,"createdAt":5,"tag":"t"}',
      { type: 'saved', jobId: 'j', count: 2, createdAt: 5, tag: 't' },
    ],
    ['{"type":"removed","jobId":"j","tag":"t"}', { type: 'removed', jobId: 'j', tag: 't' }],
    ['{"type":"pruned","cutoff":9,"tag":"t"}', { type: 'pruned', cutoff: 9, tag: 't' }],
    ['{"type":"saved","jobId":"j","count":"2","createdAt":5,"tag":"t"}', undefined],
    ['{"type":"removed","jobId":"j"}', undefined],
    ['{"type":"moved","jobId":"j","tag":"t"}', undefined],
    ['not json', undefined],
    ['null', undefined],
  ])('reads %s', (payload, expected) => {
    expect(parseIndexChange(payload)).toEqual(expected);
  });

  it('reads nothing when the payload is missing', () => {
    expect(parseIndexChange(undefined)).toBeUndefined();
  });
});
