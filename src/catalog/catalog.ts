import type { Logger } from '../log.js';
import type { SdClient, SdModel, SdSampler, SdScheduler } from '../sd/types.js';

interface Entry<T> {
  value: T | undefined;
  fetchedAt: number;
  pending: Promise<T> | undefined;
}

export interface CatalogLists {
  samplers: SdSampler[];
  schedulers: SdScheduler[] | null;
  models: SdModel[];
}

/**
 * Cached lists from the WebUI (samplers, schedulers, models), refreshed in the background, so
 * autocomplete answers well inside Discord's 3 seconds and validation checks against live lists.
 */
export interface Catalog {
  get<K extends keyof CatalogLists>(key: K): Promise<CatalogLists[K]>;
  /** The cached list at once, or after at most `waitMs` for a first fetch; undefined if none yet. */
  peek<K extends keyof CatalogLists>(key: K, waitMs: number): Promise<CatalogLists[K] | undefined>;
  invalidate(key?: keyof CatalogLists): void;
}

export interface CatalogOptions {
  clients: readonly SdClient[];
  ttlMs: number;
  now: () => number;
  log: Logger;
}

/** Asks each backend in turn until one answers. */
async function firstAnswer<T>(
  clients: readonly SdClient[],
  ask: (client: SdClient) => Promise<T>,
): Promise<T> {
  let lastError: unknown = new Error('no image server configured');
  for (const client of clients) {
    try {
      return await ask(client);
    } catch (error: unknown) {
      lastError = error;
    }
  }
  throw lastError;
}

export function createCatalog(options: CatalogOptions): Catalog {
  const { clients, ttlMs, now, log } = options;
  const fetchers: { [K in keyof CatalogLists]: () => Promise<CatalogLists[K]> } = {
    samplers: () => firstAnswer(clients, (client) => client.listSamplers()),
    schedulers: () => firstAnswer(clients, (client) => client.listSchedulers()),
    models: () => firstAnswer(clients, (client) => client.listModels()),
  };
  const entries: { [K in keyof CatalogLists]: Entry<CatalogLists[K]> } = {
    samplers: { value: undefined, fetchedAt: 0, pending: undefined },
    schedulers: { value: undefined, fetchedAt: 0, pending: undefined },
    models: { value: undefined, fetchedAt: 0, pending: undefined },
  };

  function load<K extends keyof CatalogLists>(key: K): Promise<CatalogLists[K]> {
    const entry = entries[key] as Entry<CatalogLists[K]>;
    if (entry.pending !== undefined) return entry.pending;
    const pending = (fetchers[key] as () => Promise<CatalogLists[K]>)()
      .then((value) => {
        entry.value = value;
        entry.fetchedAt = now();
        return value;
      })
      .finally(() => {
        entry.pending = undefined;
      });
    entry.pending = pending;
    return pending;
  }

  const fresh = (entry: Entry<unknown>) => entry.value !== undefined && now() - entry.fetchedAt < ttlMs;

  return {
    async get(key) {
      const entry = entries[key] as Entry<CatalogLists[typeof key]>;
      if (fresh(entry)) return entry.value as CatalogLists[typeof key];
      return load(key);
    },
    async peek(key, waitMs) {
      const entry = entries[key] as Entry<CatalogLists[typeof key]>;
      if (!fresh(entry)) {
        const pending = load(key);
        pending.catch((error: unknown) => log.debug({ err: error, list: key }, 'catalog refresh failed'));
        if (entry.value !== undefined) return entry.value;
        let timer: NodeJS.Timeout | undefined;
        const timeout = new Promise<undefined>((resolve) => {
          timer = setTimeout(() => resolve(undefined), waitMs);
        });
        try {
          return await Promise.race([pending.catch(() => undefined), timeout]);
        } finally {
          clearTimeout(timer);
        }
      }
      return entry.value;
    },
    invalidate(key) {
      for (const name of key === undefined ? (Object.keys(entries) as (keyof CatalogLists)[]) : [key]) {
        entries[name].fetchedAt = 0;
      }
    },
  };
}
