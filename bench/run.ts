/**
 * `npm run bench`: the real bot (a child process started like `npm start`) against the fake Discord
 * and fake WebUI on loopback. Prints a table and writes bench/results.json. Timing never fails the run.
 *
 * BENCH_SMOKE=1   tiny sizes (a few seconds; CI runs it through test/bench-smoke.test.ts)
 * BENCH_RUNTIME   `compiled` (default: tsc then node, as `npm start`) or `tsx` (default for the smoke)
 * BENCH_OUT       where the JSON goes (default bench/results.json; the smoke: a file in the temp folder)
 */
import { renameSync, writeFileSync } from 'node:fs';
import { cpus, platform, tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BotRuntime, npmStartEntry, prepareBot, prepareMinimalBot, REPO_ROOT } from './bot-process.js';
import { benchParams, GRAIN_LINK_RUN, GRAIN_RUN } from './params.js';
import { type BenchResults, checkTargets, type Figures, renderTable } from './report.js';
import { measureAcknowledgements } from './scenarios/acknowledgement.js';
import { measureComfyOverhead } from './scenarios/comfy-overhead.js';
import { measureMemory } from './scenarios/memory.js';
import { measureModelLoads } from './scenarios/model-loads.js';
import { measureOverhead } from './scenarios/overhead.js';
import { measureProcesses } from './scenarios/processes.js';
import { measureUtilisationRun, type UtilisationRun } from './scenarios/utilisation.js';
import { measureStartup, measureWave, type StartupFigures, type WaveFigures } from './scenarios/versus.js';
import { round } from './stats.js';
import type { BenchContext } from './world.js';

const say = (line: string) => process.stdout.write(`${line}\n`);

function toRuntime(value: string | undefined, smoke: boolean): BotRuntime {
  if (value === undefined || value === '') return smoke ? 'tsx' : 'compiled';
  if (value === 'compiled' || value === 'tsx') return value;
  throw new Error(`BENCH_RUNTIME must be compiled or tsx, not ${value}`);
}

async function main(): Promise<void> {
  const started = performance.now();
  const smoke = process.env.BENCH_SMOKE === '1';
  const runtime = toRuntime(process.env.BENCH_RUNTIME, smoke);
  const out =
    process.env.BENCH_OUT ??
    (smoke ? join(tmpdir(), 'sdbot-bench-smoke.json') : join(REPO_ROOT, 'bench', 'results.json'));
  const params = benchParams(smoke, runtime);

  say(
    `bench${smoke ? ' (smoke)' : ''}: ${cpus().length} CPUs, Node ${process.version}, bot runtime ${runtime}`,
  );
  const entry = prepareBot(runtime);
  const minimal = prepareMinimalBot();
  const context: BenchContext = { entry, warnings: [] };
  // The minimal bot's warnings are its own business (it has no logger); kept apart from ours.
  const floor: BenchContext = { entry: minimal, warnings: [] };

  say('1/8 start-up: the minimal bot, ours, ours through `npm start`');
  const startup: StartupFigures[] = [
    await measureStartup(floor, minimal, params.versus),
    await measureStartup(context, entry, params.versus),
  ];
  // npm start runs dist/, which the compiled runtime has just brought up to date.
  if (runtime === 'compiled') startup.push(await measureStartup(context, npmStartEntry(), params.versus));
  say('2/8 acknowledgement bursts: the minimal bot and ours, taking turns');
  const [ackMinimal, acknowledgement] = await measureAcknowledgements([floor, context], params.ack);
  if (ackMinimal === undefined || acknowledgement === undefined) throw new Error('bench: no acknowledgement');
  say('3/8 overhead per job: the minimal bot (grain runs), then ours');
  const overheadMinimal = await measureOverhead(floor, {
    ...params.overhead,
    runs: params.overhead.runs.filter((run) => run.label === GRAIN_RUN || run.label === GRAIN_LINK_RUN),
  });
  const overhead = await measureOverhead(context, params.overhead);
  say('3b/8 overhead per job on ComfyUI');
  const comfyOverhead = await measureComfyOverhead(context, params.overhead);
  say('4/8 peak RSS in a wave of realistic 4×1024² jobs: the minimal bot, then ours');
  const waves: WaveFigures[] = [
    await measureWave(floor, minimal, params.versus),
    await measureWave(context, entry, params.versus),
    // For reference: as the systemd unit and the Dockerfile run it (glibc reads this before any JS runs).
    await measureWave(context, entry, params.versus, { MALLOC_ARENA_MAX: '2' }),
  ];
  say('5/8 memory: growth over many jobs and a large wave, as systemd and Docker run the bot');
  // With MALLOC_ARENA_MAX=2, as before: glibc's per-thread arenas otherwise add tens of MiB of noise
  // to a figure that is there to catch leaks. The versus figures above are without it.
  const memory = await measureMemory(context, params.memory, { MALLOC_ARENA_MAX: '2' });
  say('6/8 backend utilisation');
  const utilisation: UtilisationRun[] = [];
  for (const shape of params.utilisation.runs) {
    utilisation.push(await measureUtilisationRun(context, params.utilisation, shape));
  }
  say('7/8 model loads, affinity on and off');
  const modelLoads = await measureModelLoads(context, params.modelLoads);
  say('8/8 several processes on one PostgreSQL queue: throughput, dispatch gap, recovery');
  const processes = await measureProcesses(context, params.processes, say);

  const figures: Figures = {
    acknowledgement,
    overhead,
    comfyOverhead,
    memory,
    utilisation,
    modelLoads,
    processes,
    versus: {
      startup,
      acknowledgement: ackMinimal,
      overhead: overheadMinimal.runs.find((run) => run.label === GRAIN_RUN) ?? null,
      overheadOverLink: overheadMinimal.runs.find((run) => run.label === GRAIN_LINK_RUN) ?? null,
      waves,
      minimalWarnings: floor.warnings.slice(0, 10),
    },
  };
  const targets = checkTargets(figures, params);
  const results: BenchResults = {
    date: new Date().toISOString(),
    node: process.version,
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model ?? 'unknown',
    platform: `${platform()} ${process.arch}`,
    smoke,
    runtime,
    durationSeconds: round((performance.now() - started) / 1000),
    parameters: params,
    figures,
    targets,
    botWarnings: { count: context.warnings.length, first: context.warnings.slice(0, 10) },
  };
  writeFileSync(`${out}.tmp`, `${JSON.stringify(results, null, 2)}\n`);
  renameSync(`${out}.tmp`, out);

  say('');
  say(renderTable(targets));
  say('');
  const missed = targets.filter((check) => check.met === false);
  say(
    missed.length === 0
      ? 'All targets met.'
      : `Targets missed: ${missed.map((check) => check.name).join('; ')}`,
  );
  if (context.warnings.length > 0)
    say(`The bot logged ${context.warnings.length} warning(s); the first are in the JSON.`);
  say(`Wrote ${out} in ${results.durationSeconds} s.`);
}

main().catch((error: unknown) => {
  process.stderr.write(
    `bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exitCode = 1;
});
