/**
 * Start-up without a grown young generation. V8 doubles its two semi-spaces (up to 16 MiB each) under
 * the burst of short-lived allocations while the modules load and the bot logs in, and keeps them
 * (about 30 MiB of RSS) until its memory reducer runs, 10–20 s into an idle bot. Holding the growth
 * (`--semi-space-growth-factor` is read at every resize, so it can be changed from inside the process)
 * until the bot is ready keeps them small; from then on V8 sizes them as it always does, so load and
 * long runs behave exactly as before. src/index.ts imports this module first, so it runs before the
 * other modules' code when the sources run (tsx). In the bundle it runs after the chunks the entry
 * imports, which have grown the young generation by then, so there it holds only through the log-in.
 * Holding it from the bundle's first file was tried (stop 32): idle RSS 2 s after ready fell by about
 * 7 MiB (medians of five starts, 106–115 against 111–123 MiB), but the first burst of commands after
 * a start was acknowledged later: its p99 296 / 213 / 192 / 173 ms against 242 / 198 / 182 / 184
 * taking turns with this build, and worse in four runs of four with the growth released straight to
 * full size. What the small young generation saved at start-up, the first burst paid for. Not kept.
 */
import { setFlagsFromString } from 'node:v8';

/** V8's own default factor, restored once the bot is ready. */
const V8_DEFAULT_GROWTH = 2;

setFlagsFromString('--semi-space-growth-factor=1');

/** Lets the young generation grow again as V8 sees fit (once the bot is ready; idempotent). */
export function releaseStartUpHeap(): void {
  setFlagsFromString(`--semi-space-growth-factor=${V8_DEFAULT_GROWTH}`);
}
