/**
 * Process-wide V8 settings that keep the bot small, applied from inside the process so that
 * `npm start`, systemd, Docker and a plain `node dist/src/index.js` all get them. src/index.ts
 * imports this module first, so it runs before the other modules' code (they are already parsed).
 *
 * The young generation is capped at `NEW_SPACE_CAP_BYTES` (young-generation.ts): V8 doubles its two semi-spaces up to
 * 16 MiB each (32 MiB of RSS) under the start-up burst and under load, and does not give them back
 * while the bot idles. `--max-semi-space-size` is only read when the heap is created (on the command
 * line); `--semi-space-growth-factor` is read at every resize, so the cap is kept by switching growth
 * off (factor 1) from the start and whenever the new space has reached the cap, and on below it.
 * A smaller cap (growth off for good, 8 MiB) lowered the peak further, but objects were promoted so
 * early that the Buffers they hold waited for full GCs: RSS rose by 30 MiB over 1,000 jobs.
 *
 * Not settable here, and left to the environment (the systemd unit and the Dockerfile set it):
 * glibc reads MALLOC_ARENA_MAX before the first malloc, long before any JavaScript runs; libuv's
 * UV_THREADPOOL_SIZE is read when its pool starts, which the ES module loader does before this runs.
 */
import { getHeapSpaceStatistics, setFlagsFromString } from 'node:v8';
import { toGrowthFlag, toYoungGrowth } from './young-generation.js';

const CHECK_INTERVAL_MS = 250;

const newSpaceBytes = () =>
  getHeapSpaceStatistics().find((space) => space.space_name === 'new_space')?.space_size ?? 0;

// Off through start-up (its garbage dies young anyway), then on and off around the cap.
let growing = false;
setFlagsFromString(toGrowthFlag(growing));
setInterval(() => {
  const grow = toYoungGrowth(newSpaceBytes());
  if (grow === growing) return;
  growing = grow;
  setFlagsFromString(toGrowthFlag(grow));
}, CHECK_INTERVAL_MS).unref();
