/**
 * Memory of the bot process (VmRSS / VmHWM from /proc): after a first and a last wave of small jobs
 * (growth between them = a leak), then the peak while many large jobs wait and the backends work.
 */
import type { BotProcess } from '../bot-process.js';
import { type LoopDelay, startLoopWindow } from '../event-loop.js';
import type { BenchParams } from '../params.js';
import { linearTrend, round } from '../stats.js';
import { type BenchContext, imagine, startWorld, type World, waitForOutcome } from '../world.js';

const MIB = 2 ** 20;

export interface MemoryReading {
  jobs: number;
  rssMiB: number;
  /** V8 heap in use, and memory V8 tracks outside it (Buffers): where a leak in the bot's own code shows. */
  heapUsedMiB: number;
  externalMiB: number;
}

export interface MemoryResult {
  idleRssMiB: number;
  /** After the first wave and after the last one (jobs counted since start). */
  afterFirst: MemoryReading;
  afterLast: MemoryReading;
  /** RSS after every wave (each read after a 1 s settle), for the trend. */
  rssByWaveMiB: number[];
  /** V8 heap in use after every wave. */
  heapByWaveMiB: number[];
  /** Last reading minus first: two single readings, each as noisy as the spread of the waves. */
  growthMiB: number;
  /**
   * Growth from the first to the last wave along the least-squares line through all waves (what a
   * leak shows as), and the readings' spread around that line (the noise).
   */
  trendGrowthMiB: number;
  noiseSdMiB: number;
  /** Bot CPU time per small job over all waves (whole job: command, edits, result), ms. */
  cpuMsPerVolumeJob: number;
  peak: {
    jobs: number;
    images: string;
    /** max(VmHWM after a reset, VmRSS sampled every 25 ms). */
    peakRssMiB: number;
    peakResetWorked: boolean;
    failedJobs: number;
    loop: LoopDelay;
    /** Right after the wave: V8 heap in use and memory outside it (Buffers), MiB. */
    heapUsedAfterMiB: number;
    externalAfterMiB: number;
  };
  failedJobs: number;
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 1000));

async function read(bot: BotProcess, jobs: number): Promise<MemoryReading> {
  await settle();
  const samples = await bot.scrape();
  return {
    jobs,
    rssMiB: round(bot.memory().rss / MIB),
    heapUsedMiB: round((samples.get('nodejs_heap_size_used_bytes') ?? Number.NaN) / MIB),
    externalMiB: round((samples.get('nodejs_external_memory_bytes') ?? Number.NaN) / MIB),
  };
}

/** Sends `count` jobs at once and waits for them all; resolves with how many failed. */
export async function wave(
  world: World,
  count: number,
  members: number,
  options: Record<string, string | number>,
) {
  const handles = Array.from({ length: count }, (_, i) =>
    imagine(world, i % members, { prompt: `a paper boat ${i}`, ...options }),
  );
  const outcomes = await Promise.all(
    handles.map((handle) => waitForOutcome(handle).catch(() => ({ ok: false }))),
  );
  // The fakes record every request with its body; forget them so this process stays small.
  world.discord.requests.length = 0;
  for (const webui of world.webuis) webui.requests.length = 0;
  return outcomes.filter((outcome) => !outcome.ok).length;
}

/** `env`: settings over the bench defaults, e.g. MALLOC_ARENA_MAX as systemd and Docker set it. */
export async function measureMemory(
  context: BenchContext,
  params: BenchParams['memory'],
  env: Record<string, string> = {},
): Promise<MemoryResult> {
  const { volume, peak } = params;
  const world = await startWorld({
    context,
    env,
    webuis: Array.from({ length: params.backends }, () => ({ generationMs: volume.generationMs })),
  });
  try {
    await settle();
    const idleRssMiB = round(world.bot.memory().rss / MIB);
    const rssByWaveMiB: number[] = [];
    const heapByWaveMiB: number[] = [];
    let failedJobs = 0;
    let afterFirst: MemoryReading | undefined;
    let afterLast: MemoryReading | undefined;
    const cpuBefore = world.bot.cpuMs();
    for (let i = 1; i <= volume.waves; i++) {
      failedJobs += await wave(world, volume.perWave, params.members, {
        width: volume.size,
        height: volume.size,
      });
      const reading = await read(world.bot, i * volume.perWave);
      if (i === 1) afterFirst = reading;
      if (i === volume.waves) afterLast = reading;
      rssByWaveMiB.push(reading.rssMiB);
      heapByWaveMiB.push(reading.heapUsedMiB);
    }
    if (afterFirst === undefined || afterLast === undefined) throw new Error('bench: no memory waves ran');
    const trend = linearTrend(rssByWaveMiB);
    const cpuMsPerVolumeJob = round((world.bot.cpuMs() - cpuBefore) / (volume.waves * volume.perWave), 2);

    for (const webui of world.webuis) webui.configure({ generationMs: peak.generationMs });
    const peakResetWorked = world.bot.resetPeak();
    let sampled = 0;
    const sampler = setInterval(() => {
      sampled = Math.max(sampled, world.bot.memory().rss);
    }, 25);
    const endWindow = await startLoopWindow(world.bot);
    const peakFailed = await wave(world, peak.jobs, Math.min(peak.jobs, params.members), {
      width: peak.size,
      height: peak.size,
      count: peak.count,
    });
    clearInterval(sampler);
    const loop = await endWindow();
    const after = await world.bot.scrape();
    const peakRss = Math.max(sampled, peakResetWorked ? world.bot.memory().peak : 0);
    return {
      idleRssMiB,
      afterFirst,
      afterLast,
      rssByWaveMiB,
      growthMiB: round(afterLast.rssMiB - afterFirst.rssMiB),
      trendGrowthMiB: round(trend.slope * (volume.waves - 1)),
      noiseSdMiB: round(trend.residualSd),
      heapByWaveMiB,
      cpuMsPerVolumeJob,
      peak: {
        jobs: peak.jobs,
        images: `${peak.count}×${peak.size}²`,
        peakRssMiB: round(peakRss / MIB),
        peakResetWorked,
        failedJobs: peakFailed,
        loop,
        heapUsedAfterMiB: round((after.get('nodejs_heap_size_used_bytes') ?? Number.NaN) / MIB),
        externalAfterMiB: round((after.get('nodejs_external_memory_bytes') ?? Number.NaN) / MIB),
      },
      failedJobs,
    };
  } finally {
    await world.close();
  }
}
