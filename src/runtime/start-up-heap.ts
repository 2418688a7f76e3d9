/**
 * Start-up without a grown young generation. V8 doubles its two semi-spaces (up to 16 MiB each) under
 * the burst of short-lived allocations while the modules load and the bot logs in, and keeps them
 * (about 30 MiB of RSS) until its memory reducer runs, 10–20 s into an idle bot. Holding the growth
 * (`--semi-space-growth-factor` is read at every resize, so it can be changed from inside the process)
 * until the bot's first interaction keeps them small while it idles; from then on V8 sizes them as it
 * always does, so load and long runs behave exactly as before. src/index.ts imports this module
 * first, so it runs before the other modules' code; in the bundle, whose chunks run before the
 * entry's own code, each file's banner holds it first (scripts/ensure-built.mjs).
 */
import { setFlagsFromString } from 'node:v8';

/** V8's own default factor, restored at the bot's first work. */
const V8_DEFAULT_GROWTH = 2;

setFlagsFromString('--semi-space-growth-factor=1');

/** Lets the young generation grow again as V8 sees fit (at the bot's first work; idempotent). */
export function releaseStartUpHeap(): void {
  setFlagsFromString(`--semi-space-growth-factor=${V8_DEFAULT_GROWTH}`);
}
