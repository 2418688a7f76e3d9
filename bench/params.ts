/** Workload sizes: the full run (issue #9 and #5) and `BENCH_SMOKE=1` (a few seconds, for CI). */
import type { BotRuntime } from './bot-process.js';

export interface ImageRun {
  label: string;
  width: number;
  height: number;
  count: number;
  /**
   * `true`: incompressible pixels on the fake WebUI (a 2048² PNG is 12 MiB, over Discord's 10 MiB);
   * `'grain'`: realistic noisy PNGs (about 1.9 MB at 1024², as real outputs are).
   */
  noise: boolean | 'grain';
  /** The WebUI's answers go out at this many Mbit/s (0 or absent: as fast as loopback takes them). */
  linkMbps?: number;
  repeats: number;
}

export interface BenchParams {
  smoke: boolean;
  runtime: BotRuntime;
  /** `rounds` bursts of `commands` from `members`, after `warmup` jobs run one by one. */
  ack: {
    commands: number;
    members: number;
    backends: number;
    generationMs: number;
    warmup: number;
    rounds: number;
  };
  overhead: { backends: number; generationMs: number; warmup: number; runs: ImageRun[] };
  memory: {
    backends: number;
    members: number;
    /** Small jobs for volume: `waves` waves of `perWave`, RSS read after the first and the last wave. */
    volume: { waves: number; perWave: number; size: number; generationMs: number };
    /** Jobs of `count` × `size`² sent at once, while the backends work at `generationMs`. */
    peak: { jobs: number; count: number; size: number; generationMs: number };
    /** RSS growth between the first and the last wave taken as noise, bytes. */
    noiseBytes: number;
  };
  /** Each entry: backends, and jobs sent to one backend at once (SD_CONCURRENCY_PER_BACKEND). */
  utilisation: {
    runs: { backends: number; concurrency: number }[];
    jobsPerBackend: number;
    generationMs: number;
    size: number;
  };
  /** Ours against the defer-only minimal bot (bench/minimal-bot.ts), measured alike in this run. */
  versus: {
    /** Starts of each bot: spawn → IDENTIFY, and idle RSS `idleSettleMs` after `/healthz` answered. */
    startups: number;
    idleSettleMs: number;
    /** On the last start only, idle RSS again this long after `/healthz`: once V8's memory reducer has run. */
    settledIdleMs: number;
    /** A wave of `jobs` × `count` × `size`² grain PNGs on `backends` at `generationMs`: peak RSS. */
    wave: {
      jobs: number;
      count: number;
      size: number;
      backends: number;
      generationMs: number;
      members: number;
    };
  };
  modelLoads: {
    jobs: number;
    models: number;
    backends: number;
    members: number;
    generationMs: number;
    modelLoadMs: number;
    seed: number;
    repeats: number;
  };
  /** Issue 19: several processes on one PostgreSQL queue. */
  processes: {
    /** The front process (BOT_ROLE=all) and each count of workers, all listing every backend. */
    throughput: {
      workers: number[];
      /**
       * Runs of each worker count; the figure is the median run. One run is 12 s, and its fraction
       * moved by ±1 % from run to run of the same build (94.1–96.7 % with 4 workers over stop 32).
       */
      rounds: number;
      backends: number;
      jobsPerBackend: number;
      generationMs: number;
      size: number;
    };
    /** One process, one backend, `jobs` at once: SQLite's queue, then PostgreSQL's. */
    gap: { jobs: number; generationMs: number; size: number };
    /** A worker SIGKILLed a quarter into a job of `generationMs`, every process at `leaseSeconds`. */
    recovery: { leaseSeconds: number; generationMs: number; size: number };
  };
}

const MIB = 1024 * 1024;

/** The overhead run with realistic noisy PNGs, also measured on the minimal bot. */
export const GRAIN_RUN = '4×1024² grain';
/** The same over a 1 Gbit/s link: the GPU box on the LAN rather than on loopback. */
export const GRAIN_LINK_RUN = '4×1024² grain, 1 Gbit/s';

export function benchParams(smoke: boolean, runtime: BotRuntime): BenchParams {
  if (smoke) {
    return {
      smoke,
      runtime,
      ack: { commands: 20, members: 5, backends: 2, generationMs: 10, warmup: 1, rounds: 1 },
      overhead: {
        backends: 1,
        generationMs: 10,
        warmup: 0,
        runs: [
          { label: '1×512²', width: 512, height: 512, count: 1, noise: false, repeats: 2 },
          { label: '4×1024²', width: 1024, height: 1024, count: 4, noise: false, repeats: 1 },
          { label: GRAIN_RUN, width: 1024, height: 1024, count: 4, noise: 'grain', repeats: 1 },
        ],
      },
      versus: {
        startups: 1,
        idleSettleMs: 500,
        settledIdleMs: 1000,
        wave: { jobs: 2, count: 4, size: 1024, backends: 2, generationMs: 50, members: 2 },
      },
      memory: {
        backends: 2,
        members: 5,
        volume: { waves: 2, perWave: 10, size: 256, generationMs: 5 },
        peak: { jobs: 4, count: 4, size: 1024, generationMs: 50 },
        noiseBytes: 10 * MIB,
      },
      utilisation: {
        runs: [{ backends: 2, concurrency: 1 }],
        jobsPerBackend: 3,
        generationMs: 50,
        size: 512,
      },
      modelLoads: {
        jobs: 9,
        models: 3,
        backends: 2,
        members: 3,
        generationMs: 10,
        modelLoadMs: 10,
        seed: 42,
        repeats: 1,
      },
      processes: {
        throughput: { workers: [1], rounds: 1, backends: 2, jobsPerBackend: 3, generationMs: 50, size: 512 },
        gap: { jobs: 3, generationMs: 50, size: 512 },
        // The shortest lease JOB_LEASE_SECONDS allows.
        recovery: { leaseSeconds: 3, generationMs: 500, size: 512 },
      },
    };
  }
  return {
    smoke,
    runtime,
    ack: { commands: 200, members: 50, backends: 2, generationMs: 20, warmup: 5, rounds: 3 },
    overhead: {
      backends: 1,
      generationMs: 20,
      warmup: 2,
      runs: [
        { label: '1×512²', width: 512, height: 512, count: 1, noise: false, repeats: 30 },
        { label: '4×1024²', width: 1024, height: 1024, count: 4, noise: false, repeats: 15 },
        { label: GRAIN_RUN, width: 1024, height: 1024, count: 4, noise: 'grain', repeats: 15 },
        {
          label: GRAIN_LINK_RUN,
          width: 1024,
          height: 1024,
          count: 4,
          noise: 'grain',
          linkMbps: 1000,
          repeats: 15,
        },
        { label: '1×2048² noise', width: 2048, height: 2048, count: 1, noise: true, repeats: 3 },
      ],
    },
    memory: {
      backends: 2,
      members: 50,
      volume: { waves: 10, perWave: 100, size: 256, generationMs: 5 },
      peak: { jobs: 50, count: 4, size: 1024, generationMs: 200 },
      noiseBytes: 10 * MIB,
    },
    versus: {
      startups: 5,
      idleSettleMs: 2000,
      settledIdleMs: 20_000,
      wave: { jobs: 30, count: 4, size: 1024, backends: 2, generationMs: 200, members: 30 },
    },
    utilisation: {
      runs: [
        { backends: 1, concurrency: 1 },
        { backends: 2, concurrency: 1 },
        { backends: 4, concurrency: 1 },
        // Not asked for by the issue: whether queueing a second job on each WebUI hides the gap.
        { backends: 2, concurrency: 2 },
      ],
      jobsPerBackend: 60,
      generationMs: 200,
      size: 512,
    },
    modelLoads: {
      jobs: 60,
      models: 3,
      backends: 2,
      members: 6,
      generationMs: 100,
      modelLoadMs: 300,
      seed: 42,
      repeats: 2,
    },
    processes: {
      throughput: {
        workers: [1, 2, 4],
        rounds: 3,
        backends: 4,
        jobsPerBackend: 60,
        generationMs: 200,
        size: 512,
      },
      gap: { jobs: 60, generationMs: 200, size: 512 },
      recovery: { leaseSeconds: 5, generationMs: 2000, size: 512 },
    },
  };
}
