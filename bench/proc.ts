/**
 * What the bench's child processes share: tsx's loader, to run TypeScript, and what /proc tells of
 * them. Kept apart from bot-process.ts (which loads TypeScript), so the WebUI host loads no more
 * than it needs.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** `--import` it to run a .ts file in a child. */
export const TSX_LOADER = pathToFileURL(
  fileURLToPath(new URL('../node_modules/tsx/dist/loader.mjs', import.meta.url)),
).href;

/** USER_HZ, which Linux fixes at 100 for /proc. */
const CLOCK_TICKS_PER_SECOND = 100;

/** CPU time process `pid` has used so far (user + system, from /proc/<pid>/stat), ms at 10 ms resolution. */
export function processCpuMs(pid: number): number {
  // Fields after the command name (which may hold spaces): utime and stime are the 12th and 13th.
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS_PER_SECOND;
}
