import type {
  Checkpoint,
  EmbeddingInfo,
  Engine,
  LoraInfo,
  SamplerInfo,
  SchedulerInfo,
  StyleInfo,
  UpscalerInfo,
} from '../engines/types.js';
import type { Logger } from '../log.js';
import { within } from '../runtime/within.js';

export interface CatalogLists {
  samplers: SamplerInfo[];
  /** null when no server has a scheduler choice of its own. */
  schedulers: SchedulerInfo[] | null;
  models: Checkpoint[];
  upscalers: UpscalerInfo[];
  loras: LoraInfo[];
  embeddings: EmbeddingInfo[];
  styles: StyleInfo[];
  /** Upscalers only hires fix can use (latent modes), beyond `upscalers`. */
  hiresUpscalers: { name: string }[];
}
export type CatalogKey = keyof CatalogLists;

interface Entry<K extends CatalogKey> {
  merged: CatalogLists[K] | undefined;
  /** Each backend's own list; a backend that did not answer is absent. */
  byBackend: Map<string, CatalogLists[K]>;
  fetchedAt: number;
  pending: Promise<CatalogLists[K]> | undefined;
}

/**
 * Cached lists from the image servers (samplers, schedulers, models, upscalers), refreshed in the
 * background, so autocomplete answers well inside Discord's 3 seconds and validation checks against
 * live lists. Several servers: the lists are merged (each name once), and each server's own list is
 * kept for routing.
 */
export interface Catalog {
  get<K extends CatalogKey>(key: K): Promise<CatalogLists[K]>;
  /** Each backend's own list (after a fetch like `get`); backends that did not answer are absent. */
  byBackend<K extends CatalogKey>(key: K): Promise<Map<string, CatalogLists[K]>>;
  /** Each backend's list as last fetched (no request; empty before the first fetch). */
  cachedByBackend<K extends CatalogKey>(key: K): ReadonlyMap<string, CatalogLists[K]>;
  /** The cached list at once, or after at most `waitMs` for a first fetch; undefined if none yet. */
  peek<K extends CatalogKey>(key: K, waitMs: number): Promise<CatalogLists[K] | undefined>;
  /**
   * Each backend's own list as cached now, without waiting (for routing decisions, which are
   * synchronous); undefined before a first fetch, which this starts.
   */
  snapshot<K extends CatalogKey>(key: K): ReadonlyMap<string, CatalogLists[K]> | undefined;
  invalidate(key?: CatalogKey): void;
}

export interface CatalogOptions {
  backends: readonly { id: string; engine: Engine }[];
  ttlMs: number;
  now: () => number;
  log: Logger;
  /** Longest wait for one server's list. */
  timeoutMs?: number;
}

const KEYS: readonly CatalogKey[] = [
  'samplers',
  'schedulers',
  'models',
  'upscalers',
  'loras',
  'embeddings',
  'styles',
  'hiresUpscalers',
];

/** Each item once, in the order first seen. */
function union<T>(lists: readonly T[][], identity: (item: T) => string): T[] {
  const seen = new Set<string>();
  const out: T[] = [];
  for (const list of lists) {
    for (const item of list) {
      const key = identity(item);
      if (seen.has(key)) continue;
      seen.add(key);
      out.push(item);
    }
  }
  return out;
}

function merge<K extends CatalogKey>(key: K, lists: CatalogLists[K][]): CatalogLists[K] {
  switch (key) {
    case 'schedulers': {
      const present = (lists as (SchedulerInfo[] | null)[]).filter(
        (list): list is SchedulerInfo[] => list !== null,
      );
      return (present.length === 0 ? null : union(present, (item) => item.name)) as CatalogLists[K];
    }
    case 'models':
      return union(lists as Checkpoint[][], (item) => item.title) as CatalogLists[K];
    default:
      return union(lists as { name: string }[][], (item) => item.name) as CatalogLists[K];
  }
}

// One closure on purpose: the four lists share the cache entries, the pending fetches and the clock.
export function createCatalog(options: CatalogOptions): Catalog {
  const { backends, ttlMs, now, log } = options;
  const timeoutMs = options.timeoutMs ?? 15_000;
  const fetchOne = <K extends CatalogKey>(key: K, engine: Engine): Promise<CatalogLists[K]> => {
    const request = { timeoutMs };
    switch (key) {
      case 'samplers':
        return engine.listSamplers(request) as Promise<CatalogLists[K]>;
      case 'schedulers':
        return engine.listSchedulers(request) as Promise<CatalogLists[K]>;
      case 'models':
        return engine.listCheckpoints(request) as Promise<CatalogLists[K]>;
      case 'loras':
        return engine.listLoras(request) as Promise<CatalogLists[K]>;
      case 'embeddings':
        return engine.listEmbeddings(request) as Promise<CatalogLists[K]>;
      case 'styles':
        return engine.listStyles(request) as Promise<CatalogLists[K]>;
      case 'hiresUpscalers':
        return (engine.listHiresUpscalers?.(request) ?? Promise.resolve([])).then((names) =>
          names.map((name) => ({ name })),
        ) as Promise<CatalogLists[K]>;
      default:
        return engine.listUpscalers(request) as Promise<CatalogLists[K]>;
    }
  };
  const entries = new Map<CatalogKey, Entry<CatalogKey>>(
    KEYS.map((key) => [key, { merged: undefined, byBackend: new Map(), fetchedAt: 0, pending: undefined }]),
  );
  const entryOf = <K extends CatalogKey>(key: K) => entries.get(key) as unknown as Entry<K>;

  function load<K extends CatalogKey>(key: K): Promise<CatalogLists[K]> {
    const entry = entryOf(key);
    if (entry.pending !== undefined) return entry.pending;
    const pending = Promise.allSettled(backends.map((backend) => fetchOne(key, backend.engine)))
      .then((answers) => {
        const byBackend = new Map<string, CatalogLists[K]>();
        answers.forEach((answer, index) => {
          const backend = backends[index];
          if (answer.status === 'fulfilled' && backend !== undefined) byBackend.set(backend.id, answer.value);
        });
        if (byBackend.size === 0) {
          const failure = answers.find((answer) => answer.status === 'rejected');
          throw failure?.status === 'rejected' ? failure.reason : new Error('no image server configured');
        }
        entry.byBackend = byBackend;
        entry.merged = merge(key, [...byBackend.values()]);
        entry.fetchedAt = now();
        return entry.merged;
      })
      .finally(() => {
        entry.pending = undefined;
      });
    entry.pending = pending;
    return pending;
  }

  const fresh = (entry: Entry<CatalogKey>) => entry.merged !== undefined && now() - entry.fetchedAt < ttlMs;

  return {
    async get(key) {
      const entry = entryOf(key);
      if (fresh(entry as Entry<CatalogKey>)) return entry.merged as CatalogLists[typeof key];
      return load(key);
    },
    async byBackend(key) {
      const entry = entryOf(key);
      if (!fresh(entry as Entry<CatalogKey>)) await load(key);
      return entry.byBackend;
    },
    cachedByBackend(key) {
      return entryOf(key).byBackend;
    },
    async peek(key, waitMs) {
      const entry = entryOf(key);
      if (fresh(entry as Entry<CatalogKey>)) return entry.merged;
      const pending = load(key);
      pending.catch((error: unknown) => log.debug({ err: error, list: key }, 'catalog refresh failed'));
      if (entry.merged !== undefined) return entry.merged;
      return within(
        pending.catch(() => undefined),
        waitMs,
      );
    },
    snapshot(key) {
      const entry = entryOf(key);
      if (!fresh(entry as Entry<CatalogKey>)) {
        load(key).catch((error: unknown) => log.debug({ err: error, list: key }, 'catalog refresh failed'));
      }
      return entry.merged === undefined ? undefined : entry.byBackend;
    },
    invalidate(key) {
      for (const name of key === undefined ? KEYS : [key])
        (entries.get(name) as Entry<CatalogKey>).fetchedAt = 0;
    },
  };
}
