import type { Config } from '../config.js';
import type { ImageStore } from '../jobs/image-store.js';
import type { JobRunner } from '../jobs/runner.js';
import type { Logger } from '../log.js';
import type { Metrics } from '../metrics.js';

const DAY_MS = 24 * 60 * 60_000;

/** The background chores: retention of kept images (at start, then hourly) and the running-jobs gauge. */
export function startHousekeeping(deps: {
  config: Config;
  images: ImageStore;
  runner: JobRunner;
  metrics: Metrics;
  log: Logger;
  now: () => number;
}): { stop(): Promise<void> } {
  const { config, images, log, now } = deps;
  let pruning: Promise<void> = Promise.resolve();
  const prune = () => {
    if (config.results.retentionDays === 0) return;
    pruning = pruning.then(async () => {
      try {
        const removed = await images.pruneBefore(now() - config.results.retentionDays * DAY_MS);
        if (removed > 0)
          log.info({ removed, retentionDays: config.results.retentionDays }, 'pruned kept images');
      } catch (error: unknown) {
        log.warn({ err: error }, 'pruning kept images failed');
      }
    });
  };
  prune();
  const pruner = setInterval(prune, 60 * 60_000);
  pruner.unref();
  const gauges = setInterval(() => {
    deps.metrics.runningJobs(deps.runner.backends().reduce((sum, backend) => sum + backend.running, 0));
  }, 1000);
  gauges.unref();
  return {
    async stop() {
      clearInterval(gauges);
      clearInterval(pruner);
      await pruning;
    },
  };
}
