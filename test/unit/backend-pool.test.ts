import { describe, expect, it } from 'vitest';
import { type BackendPool, createBackendPool, type PoolEvent } from '../../src/jobs/backend-pool.js';
import { createLogger } from '../../src/log.js';
import { createFakeEngine, type FakeEngine } from '../fakes/engine.js';

interface Setup {
  pool: BackendPool;
  engines: FakeEngine[];
  events: PoolEvent[];
  /** Waits for every background probe the pool started. */
  settle(): Promise<void>;
  advance(ms: number): void;
}

function setup(count = 1, concurrency = 1): Setup {
  let clock = 1_000_000;
  const tracked: Promise<unknown>[] = [];
  const events: PoolEvent[] = [];
  const engines = Array.from({ length: count }, (_, index) => createFakeEngine(`fake-${index + 1}`));
  const pool = createBackendPool({
    backends: engines.map((engine) => ({ id: engine.id, engine })),
    concurrency,
    now: () => clock,
    log: createLogger({ level: 'silent' }),
    track: (promise) => tracked.push(promise),
    onEvent: (event) => events.push(event),
  });
  return {
    pool,
    engines,
    events,
    async settle() {
      while (tracked.length > 0) await Promise.allSettled(tracked.splice(0));
    },
    advance(ms) {
      clock += ms;
    },
  };
}

const offered = (pool: BackendPool) => pool.views().map((view) => view.healthy);
const deferred = () => {
  let release: () => void = () => undefined;
  const promise = new Promise<void>((resolve) => {
    release = resolve;
  });
  return { promise, release };
};

describe('createBackendPool', () => {
  it('offers a backend to jobs only once its first probe has settled', async () => {
    const { pool, engines, events } = setup();
    const engine = engines[0] as FakeEngine;
    const gate = deferred();
    engine.probeGate = gate.promise;
    // Before any probe: known, but not offered (what it can do is unknown).
    expect(offered(pool)).toEqual([false]);
    const probing = pool.probeAll(1000);
    await Promise.resolve();
    expect(offered(pool)).toEqual([false]);
    expect(events).toEqual([]);
    // It is not down either: /queue shows it idle, not "down".
    expect(pool.statuses()[0]?.state).toBe('idle');

    gate.release();
    await probing;
    expect(offered(pool)).toEqual([true]);
    expect(events).toEqual([{ type: 'up', backendId: 'fake-1' }]);
    expect(pool.views()[0]?.loadedModel).toBe('fake-model');
  });

  it('keeps offering a backend whose start probe failed and probes it again after the backoff', async () => {
    const { pool, engines, events, settle, advance } = setup();
    const engine = engines[0] as FakeEngine;
    engine.probeFailures = 1;
    await pool.probeAll(1000);
    // The probe failed, but the server may well be fine: it takes jobs on the conservative record.
    expect(offered(pool)).toEqual([true]);
    expect(pool.isHealthy('fake-1')).toBe(true);
    expect(events).toEqual([]);
    expect(engine.calls).toEqual(['probe']);

    advance(999);
    pool.probeDue();
    await settle();
    expect(engine.calls, 'no probe before the 1 s backoff').toEqual(['probe']);

    advance(1);
    pool.probeDue();
    await settle();
    // Probed again (no ping: it never left the rotation), and announced once it answered.
    expect(engine.calls).toEqual(['probe', 'probe']);
    expect(events).toEqual([{ type: 'up', backendId: 'fake-1' }]);

    // Done: later ticks do not probe again.
    advance(60_000);
    pool.probeDue();
    await settle();
    expect(engine.calls).toEqual(['probe', 'probe']);
  });

  it('backs off longer after each failed start probe', async () => {
    const { pool, engines, settle, advance } = setup();
    const engine = engines[0] as FakeEngine;
    engine.probeFailures = 2;
    await pool.probeAll(1000);
    advance(1000);
    pool.probeDue();
    await settle();
    expect(engine.calls).toEqual(['probe', 'probe']);
    // Second failure: 2 s.
    advance(1999);
    pool.probeDue();
    await settle();
    expect(engine.calls).toEqual(['probe', 'probe']);
    advance(1);
    pool.probeDue();
    await settle();
    expect(engine.calls).toEqual(['probe', 'probe', 'probe']);
    expect(offered(pool)).toEqual([true]);
  });

  it('brings a backend marked down back only after the backoff, by a ping and then a probe', async () => {
    const { pool, engines, events, settle, advance } = setup(2);
    const [first, second] = engines as [FakeEngine, FakeEngine];
    await pool.probeAll(1000);
    events.length = 0;
    first.calls.length = 0;

    const failure = new Error('connection refused');
    pool.markDown('fake-1', failure);
    expect(offered(pool)).toEqual([false, true]);
    expect(pool.statuses().map((status) => status.state)).toEqual(['down', 'idle']);
    expect(pool.isHealthy('fake-1')).toBe(false);
    expect(pool.healthyOthers('fake-2')).toBe(0);
    expect(pool.healthyOthers('fake-1')).toBe(1);
    expect(events).toEqual([{ type: 'down', backendId: 'fake-1', error: failure }]);

    advance(500);
    pool.probeDue();
    await settle();
    expect(first.calls, 'nothing before the backoff').toEqual([]);
    expect(offered(pool)).toEqual([false, true]);

    // Capabilities may have changed while it was away (another server on the same port): probed anew.
    first.capabilitiesAfterProbe = { ...first.capabilitiesAfterProbe, upscale: false };
    advance(500);
    pool.probeDue();
    await settle();
    expect(first.calls).toEqual(['ping', 'probe']);
    expect(first.capabilities.upscale).toBe(false);
    expect(offered(pool)).toEqual([true, true]);
    expect(pool.statuses()[0]?.state).toBe('idle');
    expect(events.at(-1)).toEqual({ type: 'up', backendId: 'fake-1' });
    expect(second.calls).toEqual(['probe']);
  });

  it('keeps a backend down while its ping fails, backing off longer each time', async () => {
    const { pool, engines, events, settle, advance } = setup();
    const engine = engines[0] as FakeEngine;
    await pool.probeAll(1000);
    engine.calls.length = 0;
    events.length = 0;
    engine.pingFails = true;
    pool.markDown('fake-1', new Error('gone'));

    advance(1000);
    pool.probeDue();
    await settle();
    expect(engine.calls).toEqual(['ping']);
    expect(offered(pool)).toEqual([false]);

    // Two failures now: the next try waits 2 s.
    engine.pingFails = false;
    advance(1999);
    pool.probeDue();
    await settle();
    expect(engine.calls).toEqual(['ping']);
    advance(1);
    pool.probeDue();
    await settle();
    expect(engine.calls).toEqual(['ping', 'ping', 'probe']);
    expect(offered(pool)).toEqual([true]);
    expect(events.map((event) => event.type)).toEqual(['down', 'up']);

    // A success resets the backoff: down again, back after 1 s.
    engine.calls.length = 0;
    pool.markDown('fake-1', new Error('gone again'));
    advance(1000);
    pool.probeDue();
    await settle();
    expect(engine.calls).toEqual(['ping', 'probe']);
  });

  it('starts one recovery at a time however often it is asked', async () => {
    const { pool, engines, settle, advance } = setup();
    const engine = engines[0] as FakeEngine;
    await pool.probeAll(1000);
    engine.calls.length = 0;
    pool.markDown('fake-1', new Error('gone'));
    advance(1000);
    const gate = deferred();
    engine.probeGate = gate.promise;
    pool.probeDue();
    await Promise.resolve();
    pool.probeDue();
    pool.probeDue();
    gate.release();
    await settle();
    expect(engine.calls).toEqual(['ping', 'probe']);
  });

  it('counts the jobs holding slots and frees them on release', async () => {
    const { pool } = setup(2, 2);
    await pool.probeAll(1000);
    pool.acquire('fake-1', 'job-1');
    pool.acquire('fake-1', 'job-2');
    pool.acquire('fake-2', 'job-3');
    expect(pool.runningOn('fake-1')).toBe(2);
    expect(pool.views().map((view) => [view.running, view.capacity])).toEqual([
      [2, 2],
      [1, 2],
    ]);
    expect(pool.statuses().map((status) => status.state)).toEqual(['busy', 'busy']);

    pool.release('fake-1', 'job-1');
    // Releasing twice (the answer and the cancel both free it) gives back one slot only.
    pool.release('fake-1', 'job-1');
    pool.release('fake-2', 'job-3');
    expect(pool.runningOn('fake-1')).toBe(1);
    expect(pool.runningOn('fake-2')).toBe(0);
    expect(pool.statuses()).toEqual([
      { id: 'fake-1', state: 'busy', running: 1, capacity: 2, loadedModel: 'fake-model' },
      { id: 'fake-2', state: 'idle', running: 0, capacity: 2, loadedModel: 'fake-model' },
    ]);
    // Unknown ids change nothing.
    pool.acquire('nope', 'job-9');
    expect(pool.runningOn('nope')).toBe(0);
    expect(pool.engine('nope')).toBeUndefined();
  });

  it('remembers the loaded model it is told, and keeps it when a probe cannot say', async () => {
    const { pool, engines, settle, advance } = setup();
    const engine = engines[0] as FakeEngine;
    await pool.probeAll(1000);
    pool.setLoadedModel('fake-1', 'other-model');
    expect(pool.views()[0]?.loadedModel).toBe('other-model');

    engine.probedModel = null;
    pool.markDown('fake-1', new Error('gone'));
    advance(1000);
    pool.probeDue();
    await settle();
    expect(pool.isHealthy('fake-1')).toBe(true);
    expect(pool.views()[0]?.loadedModel).toBe('other-model');
    expect(pool.ids).toEqual(['fake-1']);
    expect(pool.engine('fake-1')).toBe(engine);
  });
});
