import type { Engine } from '../engines/types.js';
import type { Logger } from '../log.js';
import { type BackendView, probeDelayMs } from './scheduling.js';

export interface Backend {
  id: string;
  engine: Engine;
}

export interface BackendStatus {
  id: string;
  state: 'idle' | 'busy' | 'down';
  running: number;
  capacity: number;
  loadedModel: string | undefined;
}

/** What the pool tells its observers (metrics, logs, the runner's dispatch). */
export type PoolEvent =
  | { type: 'up'; backendId: string }
  | { type: 'down'; backendId: string; error: unknown };

/**
 * The image servers: which are healthy, which job holds which slot, which model each has loaded,
 * and what each can do (its engine's last probe). A server that fails leaves the rotation and is
 * probed again with backoff; when it answers, its capabilities are probed anew before it takes jobs.
 */
export interface BackendPool {
  readonly ids: readonly string[];
  engine(id: string): Engine | undefined;
  views(): BackendView[];
  statuses(): BackendStatus[];
  /** A job takes a slot on a backend / gives it back. */
  acquire(id: string, jobId: string): void;
  release(id: string, jobId: string): void;
  /** How many of the bot's jobs hold a slot there. */
  runningOn(id: string): number;
  isHealthy(id: string): boolean;
  /** Healthy backends other than `id`. */
  healthyOthers(id: string): number;
  markDown(id: string, error: unknown): void;
  /** Starts the probes whose backoff has run out (called on every tick). */
  probeDue(): void;
  setLoadedModel(id: string, model: string | undefined): void;
  /** Probes every backend's capabilities and loaded model, each within `timeoutMs`; failures are retried with backoff. */
  probeAll(timeoutMs: number): Promise<void>;
}

export interface BackendPoolOptions {
  backends: readonly Backend[];
  concurrency: number;
  now: () => number;
  log: Logger;
  /** Keeps a background promise for shutdown to wait on. */
  track: (promise: Promise<unknown>) => void;
  onEvent: (event: PoolEvent) => void;
}

interface Entry {
  backend: Backend;
  healthy: boolean;
  running: Set<string>;
  loadedModel: string | undefined;
  failures: number;
  nextProbeAt: number;
  probing: boolean;
  /** The capability probe: in flight (no jobs yet), done, or failed (tried again with backoff). */
  probe: 'pending' | 'done' | 'failed';
}

// One closure on purpose: the entries (health, slots, probes) are the pool's state, shared by every method.
export function createBackendPool(options: BackendPoolOptions): BackendPool {
  const { now, log } = options;
  const entries = new Map<string, Entry>(
    options.backends.map((backend) => [
      backend.id,
      {
        backend,
        healthy: true,
        running: new Set(),
        loadedModel: undefined,
        failures: 0,
        nextProbeAt: 0,
        probing: false,
        probe: 'pending',
      },
    ]),
  );
  const entryOf = (id: string) => entries.get(id);

  /** Capabilities and the loaded model; a backend that cannot be asked keeps its last record. */
  const learn = async (entry: Entry, timeoutMs: number) => {
    const { engine } = entry.backend;
    const { capabilities, loadedModel: loaded } = await engine.probe({ timeoutMs });
    if (loaded !== null) entry.loadedModel = loaded;
    log.info(
      {
        backend: entry.backend.id,
        server: capabilities.name,
        version: capabilities.version,
        capabilities,
        loadedModel: entry.loadedModel,
      },
      'image server probed',
    );
  };

  const probeAgain = (entry: Entry, timeoutMs: number) => {
    entry.probing = true;
    return learn(entry, timeoutMs)
      .then(() => {
        entry.probe = 'done';
        options.onEvent({ type: 'up', backendId: entry.backend.id });
      })
      .catch((error: unknown) => {
        entry.probe = 'failed';
        entry.failures += 1;
        entry.nextProbeAt = now() + probeDelayMs(entry.failures);
        log.warn({ err: error, backend: entry.backend.id }, 'could not probe the image server');
      })
      .finally(() => {
        entry.probing = false;
      });
  };

  const probe = (entry: Entry) => {
    if (entry.healthy && entry.probe === 'failed' && !entry.probing && now() >= entry.nextProbeAt) {
      options.track(probeAgain(entry, 10_000));
      return;
    }
    if (entry.probing || entry.healthy || now() < entry.nextProbeAt) return;
    entry.probing = true;
    options.track(
      entry.backend.engine
        .ping()
        .then(() => learn(entry, 10_000))
        .then(() => {
          entry.healthy = true;
          entry.probe = 'done';
          entry.failures = 0;
          log.info({ backend: entry.backend.id }, 'backend is back in the rotation');
          options.onEvent({ type: 'up', backendId: entry.backend.id });
        })
        .catch(() => {
          entry.failures += 1;
          entry.nextProbeAt = now() + probeDelayMs(entry.failures);
        })
        .finally(() => {
          entry.probing = false;
        }),
    );
  };

  return {
    ids: options.backends.map((backend) => backend.id),
    engine: (id) => entryOf(id)?.backend.engine,
    views() {
      return [...entries.values()].map((entry) => ({
        id: entry.backend.id,
        // No job goes to a server before its first probe settles (it says what the server can do).
        healthy: entry.healthy && entry.probe !== 'pending',
        running: entry.running.size,
        capacity: options.concurrency,
        loadedModel: entry.loadedModel,
      }));
    },
    statuses() {
      return [...entries.values()].map((entry) => ({
        id: entry.backend.id,
        state: !entry.healthy ? 'down' : entry.running.size > 0 ? 'busy' : 'idle',
        running: entry.running.size,
        capacity: options.concurrency,
        loadedModel: entry.loadedModel,
      }));
    },
    acquire(id, jobId) {
      entryOf(id)?.running.add(jobId);
    },
    release(id, jobId) {
      entryOf(id)?.running.delete(jobId);
    },
    runningOn: (id) => entryOf(id)?.running.size ?? 0,
    isHealthy: (id) => entryOf(id)?.healthy === true,
    healthyOthers: (id) =>
      [...entries.values()].filter((entry) => entry.backend.id !== id && entry.healthy).length,
    markDown(id, error) {
      const entry = entryOf(id);
      if (entry === undefined) return;
      if (entry.healthy) log.warn({ backend: id, err: error }, 'backend left the rotation');
      entry.healthy = false;
      entry.failures += 1;
      entry.nextProbeAt = now() + probeDelayMs(entry.failures);
      options.onEvent({ type: 'down', backendId: id, error });
    },
    probeDue() {
      for (const entry of entries.values()) probe(entry);
    },
    setLoadedModel(id, model) {
      const entry = entryOf(id);
      if (entry !== undefined) entry.loadedModel = model;
    },
    async probeAll(timeoutMs) {
      await Promise.all([...entries.values()].map((entry) => probeAgain(entry, timeoutMs)));
    },
  };
}
