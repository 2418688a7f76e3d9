import { afterEach, beforeEach, vi } from 'vitest';
import type { ImageStore } from '../../src/jobs/image-store.js';
import type { UsageStore } from '../../src/policy/usage-store.js';
import type { SettingsStore } from '../../src/store/settings-store.js';

/** One process's view of the shared store: its three stores, over its own connection(s). */
export interface OpenedStores {
  settings: SettingsStore;
  usage: UsageStore;
  /** Kept images; every process's images store shares one folder. */
  images: ImageStore;
  close(): Promise<void>;
}

/** One store under test (a database and an image folder); every `open` is another process on it. */
export interface SharedStore {
  open(): Promise<OpenedStores>;
  /** Adds a finished img2img job carrying an input image (for retention). Returns its id. */
  addFinishedJob(finishedAt: number): Promise<string>;
  /** The input image still in a job's parameters, if any. */
  initImageOf(jobId: string): Promise<string | undefined>;
  /** The image folder's file names, sorted. */
  files(): string[];
  dispose(): Promise<void>;
}

/** A fresh, empty store per test; what a test opens is closed after it. */
export function useSharedStore(makeStore: () => Promise<SharedStore>) {
  let store: SharedStore | undefined;
  const opened: OpenedStores[] = [];
  beforeEach(async () => {
    store = await makeStore();
  });
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((stores) => stores.close()));
    await store?.dispose();
    store = undefined;
  });
  const current = () => {
    if (store === undefined) throw new Error('the store is made in beforeEach');
    return store;
  };
  return {
    async open(): Promise<OpenedStores> {
      const stores = await current().open();
      opened.push(stores);
      return stores;
    },
    /** Two processes on the store. */
    async pair(): Promise<[OpenedStores, OpenedStores]> {
      return [await this.open(), await this.open()];
    },
    store: current,
  };
}

/** Retries `check` until it passes: a change made by one process reaches another within moments. */
export function eventually(check: () => void | Promise<void>): Promise<void> {
  return vi.waitFor(check, { timeout: 3_000, interval: 20 });
}

/** The parameters of a job that carried an input image. */
export const IMG2IMG_PARAMS = {
  prompt: 'p',
  negativePrompt: '',
  seed: -1,
  steps: 20,
  cfgScale: 7,
  width: 512,
  height: 512,
  count: 1,
  sampler: 'Euler',
  scheduler: undefined,
  model: undefined,
  initImage: 'aGVsbG8=',
};
