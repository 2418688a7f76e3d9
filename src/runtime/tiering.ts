/**
 * Baseline code from a function's first call. V8 runs a function in its interpreter until it has
 * run often enough for its baseline compiler (Sparkplug), and only then for the optimising one.
 * The first burst of commands after a start runs hundreds of functions for the first time (intake,
 * admission, the queue, the views, discord.js's REST), so it paid the interpreter: its p99 was the
 * worst of every run. Sparkplug compiles straight from the bytecode in about the time of one
 * interpreted call, and hot code is still optimised as before. Set from inside the process (V8 reads
 * the flag at each function's first compilation), at the start of `main`, so the tests that start
 * the bot in their own process are not changed by it.
 */
import { setFlagsFromString } from 'node:v8';

export function compileOnFirstCall(): void {
  setFlagsFromString('--always-sparkplug');
}
