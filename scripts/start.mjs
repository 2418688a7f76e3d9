#!/usr/bin/env node
/**
 * `npm start`: the bundle in dist/bot/, started in this very process once the sources are known to
 * match it, instead of a second node after scripts/ensure-built.mjs (one start-up, about 0.1 s,
 * saved on every start). When they do not match, the build runs in a child process first, as
 * `node scripts/ensure-built.mjs` (so the bot never carries the build tools), and stops the start
 * when it fails.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { BUNDLE, upToDate } from './ensure-built.mjs';

if (!upToDate()) {
  const script = fileURLToPath(new URL('ensure-built.mjs', import.meta.url));
  const build = spawnSync(process.execPath, [script], { stdio: 'inherit' });
  if (build.status !== 0) process.exit(build.status ?? 1);
}
const { main } = await import(pathToFileURL(BUNDLE).href);
await main();
