/**
 * Process-wide V8 settings that keep an idle bot small, applied from inside the process so that
 * `npm start`, systemd, Docker and a plain `node dist/src/index.js` all get them. src/index.ts
 * imports this module first, so it runs before the other modules' code (they are already parsed).
 *
 * - The young generation stops growing: V8 doubles its semi-spaces up to 16 MiB each (32 MiB of
 *   RSS) under the burst of start-up allocations and never gives them back while the bot idles. The
 *   bot's large data (images) lives in Buffers outside the V8 heap, so small semi-spaces cost it little.
 *   `--max-semi-space-size` only works on the command line; `--semi-space-growth-factor` is read at
 *   every resize, so setting it here works.
 *
 * Not settable here, and left to the environment (the systemd unit and the Dockerfile set it):
 * glibc reads MALLOC_ARENA_MAX once, before the first malloc, long before any JavaScript runs.
 */
import { setFlagsFromString } from 'node:v8';

setFlagsFromString('--semi-space-growth-factor=1');
