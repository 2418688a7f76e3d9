/**
 * Several bot processes on one PostgreSQL queue (issue 19): the throughput of N workers sharing
 * the same backends behind a gateway-only front process, and the dispatch gap on one backend, PostgreSQL next to
 * SQLite. Both measured on the fake WebUIs' own stamps, as the utilisation scenario does.
 */
import type { BenchParams } from '../params.js';
import { type BenchPostgres, startBenchPostgres } from '../postgres.js';
import { percentile, round } from '../stats.js';
import type { BenchContext } from '../world.js';
import { startWorld } from '../world.js';
import { measureRecovery, type RecoveryFigures } from './recovery.js';
import { backendStamps, measureUtilisationRun, sendAndAwait, type UtilisationRun } from './utilisation.js';

export interface ThroughputRun {
  /** Worker processes (BOT_ROLE=worker), the only ones claiming jobs; the front is BOT_ROLE=gateway. */
  workers: number;
  backends: number;
  jobs: number;
  jobsPerSecond: number;
  idealJobsPerSecond: number;
  /** jobsPerSecond / idealJobsPerSecond. */
  fraction: number;
  /** The fraction of every run of this worker count, in the order run; the others are the median run's. */
  roundFractions: number[];
  /** Mean time a txt2img request took at the fake, configured `generationMs` (ms). */
  meanServiceMs: number;
  /** The backends' busy time over backends × span (see `BackendStamps.busyFraction`). */
  busyFraction: number;
  /** Median wait of a backend between answering one job and receiving the next, ms. */
  medianBotGapMs: number;
  /** Its 90th percentile and mean, ms: a few long waits lower the throughput more than the median shows. */
  p90BotGapMs: number;
  meanBotGapMs: number;
  /** The most txt2img requests one backend served at once: 1 when each backend's capacity of 1 held across processes. */
  mostAtOnce: number;
  failedJobs: number;
  /** CPU time of every bot process over the run (send to last delivery) per second of it: cores busy. */
  botCpuCores: number;
  /** The same for the fakes: the bench process (the fake Discord) and the WebUIs' own process. */
  benchCpuCores: number;
  /** The same for the embedded PostgreSQL server (0 with TEST_DATABASE_URL's). */
  postgresCpuCores: number;
}

export interface DispatchGap extends UtilisationRun {
  queue: 'sqlite' | 'postgres';
}

export interface ProcessesResult {
  /** From the start of the embedded PostgreSQL (or the connection to TEST_DATABASE_URL's) to ready, ms. */
  postgresStartMs: number;
  throughput: ThroughputRun[];
  /** One process, one backend: SQLite, then PostgreSQL. */
  gap: DispatchGap[];
  recovery: RecoveryFigures;
}

type Params = BenchParams['processes'];
/** One run of one worker count, before the rounds are put together. */
type OneRun = Omit<ThroughputRun, 'roundFractions'>;

/**
 * `params.rounds` runs of one worker count: the median run (by fraction), with every run's fraction,
 * the failed jobs of all runs and the most jobs at once on a backend in any.
 */
async function measureThroughputRounds(
  context: BenchContext,
  postgres: BenchPostgres,
  params: Params['throughput'],
  workers: number,
): Promise<ThroughputRun> {
  const runs: OneRun[] = [];
  for (let round = 0; round < Math.max(1, params.rounds); round += 1)
    runs.push(await measureThroughput(context, postgres, params, workers));
  const sorted = [...runs].sort((a, b) => a.fraction - b.fraction);
  const median = sorted[Math.floor((sorted.length - 1) / 2)] as OneRun;
  return {
    ...median,
    // A failed job or a backend's capacity crossed in any run counts, not only in the median one.
    failedJobs: runs.reduce((sum, run) => sum + run.failedJobs, 0),
    mostAtOnce: Math.max(...runs.map((run) => run.mostAtOnce)),
    roundFractions: runs.map((run) => run.fraction),
  };
}

async function measureThroughput(
  context: BenchContext,
  postgres: BenchPostgres,
  params: Params['throughput'],
  workers: number,
): Promise<OneRun> {
  const database = await postgres.database();
  try {
    const world = await startWorld({
      context,
      // One PNG for every answer, encoded once: the fakes' own encoding took about 0.16 of the two
      // cores the five bot processes share with them (9 ms of CPU per 512² answer).
      webuis: Array.from({ length: params.backends }, () => ({
        generationMs: params.generationMs,
        fixedServiceTime: true,
        reuseImages: true,
      })),
      // Away from the fake Discord, which takes every command and delivery of five bot processes here:
      // in this process, a 200 ms answer took 214–218 ms; apart, 206–207 ms.
      webuisApart: true,
      // The front takes the commands and runs no job: the throughput is the workers' alone.
      env: {
        DATABASE_URL: database.url,
        BOT_ROLE: 'gateway',
        WORKER_ID: 'front',
        SD_CONCURRENCY_PER_BACKEND: '1',
      },
      workers: Array.from({ length: workers }, () => ({})),
    });
    try {
      const jobs = params.jobsPerBackend * params.backends;
      const bots = [world.bot, ...world.workers];
      const botCpu = () => bots.reduce((sum, bot) => sum + bot.cpuMs(), 0);
      const [cpuBefore, benchBefore, pgBefore] = [botCpu(), process.cpuUsage(), postgres.cpuMs()];
      const webuiBefore = world.webuiCpuMs();
      const started = performance.now();
      const failedJobs = await sendAndAwait(world, jobs, params.size, 'a lighthouse');
      const wallMs = performance.now() - started;
      const bench = process.cpuUsage(benchBefore);
      const stamps = backendStamps(await world.stamps(), params.generationMs);
      return {
        workers,
        backends: params.backends,
        jobs,
        jobsPerSecond: round(stamps.jobsPerSecond, 2),
        idealJobsPerSecond: round(stamps.idealJobsPerSecond, 2),
        fraction: round(stamps.jobsPerSecond / stamps.idealJobsPerSecond, 3),
        meanServiceMs: round(
          params.generationMs + stamps.extras.reduce((sum, extra) => sum + extra, 0) / stamps.extras.length,
        ),
        busyFraction: round(stamps.busyFraction, 3),
        medianBotGapMs: round(percentile(stamps.gaps, 50)),
        p90BotGapMs: round(percentile(stamps.gaps, 90)),
        meanBotGapMs: round(stamps.gaps.reduce((sum, gap) => sum + gap, 0) / stamps.gaps.length),
        mostAtOnce: stamps.mostAtOnce,
        failedJobs,
        botCpuCores: round((botCpu() - cpuBefore) / wallMs, 2),
        benchCpuCores: round(
          ((bench.user + bench.system) / 1000 + world.webuiCpuMs() - webuiBefore) / wallMs,
          2,
        ),
        postgresCpuCores: round((postgres.cpuMs() - pgBefore) / wallMs, 2),
      };
    } finally {
      await world.close();
    }
  } finally {
    await database.drop();
  }
}

async function measureGap(
  context: BenchContext,
  postgres: BenchPostgres,
  params: Params['gap'],
  queue: DispatchGap['queue'],
): Promise<DispatchGap> {
  const utilisation = {
    runs: [],
    jobsPerBackend: params.jobs,
    generationMs: params.generationMs,
    size: params.size,
  };
  const shape = { backends: 1, concurrency: 1 };
  if (queue === 'sqlite') return { queue, ...(await measureUtilisationRun(context, utilisation, shape)) };
  const database = await postgres.database();
  try {
    const env = { DATABASE_URL: database.url, WORKER_ID: 'front' };
    return { queue, ...(await measureUtilisationRun(context, utilisation, shape, env)) };
  } finally {
    await database.drop();
  }
}

/** Step 8: one PostgreSQL for all three measures, stopped at the end; `say` tells which part runs. */
export async function measureProcesses(
  context: BenchContext,
  params: Params,
  say: (line: string) => void,
): Promise<ProcessesResult> {
  const postgres = await startBenchPostgres();
  try {
    const throughput: ThroughputRun[] = [];
    for (const workers of params.throughput.workers) {
      const rounds = params.throughput.rounds;
      say(
        `  throughput: a gateway process and ${workers} worker${workers === 1 ? '' : 's'}, ${rounds} run${rounds === 1 ? '' : 's'}`,
      );
      throughput.push(await measureThroughputRounds(context, postgres, params.throughput, workers));
    }
    say('  dispatch gap on one backend: SQLite, then PostgreSQL');
    const gap = [
      await measureGap(context, postgres, params.gap, 'sqlite'),
      await measureGap(context, postgres, params.gap, 'postgres'),
    ];
    say(`  recovery of a SIGKILLed worker's job, JOB_LEASE_SECONDS=${params.recovery.leaseSeconds}`);
    const recovery = await measureRecovery(context.entry, postgres, params.recovery);
    return { postgresStartMs: round(postgres.startMs), throughput, gap, recovery };
  } finally {
    await postgres.stop();
  }
}
