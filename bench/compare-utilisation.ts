/**
 * The utilisation step (1, 2 and 4 backends, as `npm run bench` runs it) for this bot and for an
 * older build of it, in turns, on this machine and this bench's fakes: whether a change made the
 * dispatch gap worse, with the machine and the fakes held the same.
 *
 *   BASELINE_BOT=/path/to/old/checkout/dist/src/index.js ROUNDS=2 npx tsx bench/compare-utilisation.ts
 *
 * `BASELINE_BOT` is the old build's entry file, run with plain `node` from this checkout's folder
 * with the same environment (it must read the configuration names this bench sets). Prints one line
 * per bot and round; not part of `npm run bench`.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { prepareBot } from './bot-process.js';
import { benchParams } from './params.js';
import { measureUtilisationRun } from './scenarios/utilisation.js';

const say = (line: string) => process.stdout.write(`${line}\n`);
const baseline = process.env.BASELINE_BOT;
if (baseline === undefined || !existsSync(baseline)) {
  process.stderr.write(
    'compare-utilisation: set BASELINE_BOT to the entry file of the build to compare with\n',
  );
  process.exit(2);
}
const rounds = Number(process.env.ROUNDS ?? 2);
const params = benchParams(false, 'compiled');
const ours = prepareBot('compiled');
const entries = [
  { ...ours, label: 'baseline', args: [resolve(baseline)] },
  { ...ours, label: 'this checkout' },
];

for (let round = 1; round <= rounds; round += 1) {
  for (const entry of entries) {
    const context = { entry, warnings: [] as string[] };
    const runs: string[] = [];
    for (const shape of params.utilisation.runs.filter((run) => run.concurrency === 1)) {
      const run = await measureUtilisationRun(context, params.utilisation, shape);
      runs.push(
        `${shape.backends} backend${shape.backends === 1 ? '' : 's'} ${(run.fraction * 100).toFixed(1)} % ` +
          `(gap ${run.medianBotGapMs} ms${run.failedJobs > 0 ? `, ${run.failedJobs} failed` : ''})`,
      );
    }
    say(`round ${round}, ${entry.label}: ${runs.join(' | ')}`);
    for (const warning of context.warnings.slice(0, 3)) say(`  warning: ${warning}`);
  }
}
