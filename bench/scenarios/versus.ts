/**
 * Ours against the floor: the defer-only minimal bot (bench/minimal-bot.ts) measured alike in the
 * same run, so each figure is also a ratio. Start-up is from the spawn to the fake gateway receiving
 * IDENTIFY; idle RSS is read a moment after `/healthz` first answered; the peak is the highest RSS
 * while a wave of realistic 4×1024² jobs runs. Each step runs the minimal bot first, then ours.
 */
import type { BotEntry } from '../bot-process.js';
import type { BenchParams } from '../params.js';
import { percentile, round, type Summary, summarize } from '../stats.js';
import { type BenchContext, startWorld } from '../world.js';
import { wave } from './memory.js';

const MIB = 2 ** 20;

export interface StartupFigures {
  label: string;
  /** Spawn → IDENTIFY at the fake gateway, ms. */
  identifyMs: Summary;
  /** Spawn → `/healthz` 200 (commands registered, queue started), ms, 20 ms polls. */
  healthyMs: Summary;
  /** RSS `idleSettleMs` after healthy, median over the starts, MiB. */
  idleRssMiB: number;
  idleRssByStartMiB: number[];
  /** The last start's RSS `settledIdleMs` after healthy (V8 shrinks its heap 10–20 s into idling), MiB. */
  settledIdleRssMiB: number;
  settledAfterMs: number;
}

export interface WaveFigures {
  label: string;
  jobs: number;
  images: string;
  /** Idle RSS just before the wave, and max(VmHWM after a reset, VmRSS every 25 ms) during it, MiB. */
  idleRssMiB: number;
  peakRssMiB: number;
  seconds: number;
  failedJobs: number;
}

const settle = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** `starts` fresh starts of `entry`, one at a time. */
export async function measureStartup(
  context: BenchContext,
  entry: BotEntry,
  params: BenchParams['versus'],
): Promise<StartupFigures> {
  const identify: number[] = [];
  const healthy: number[] = [];
  const idle: number[] = [];
  let settled = Number.NaN;
  for (let i = 0; i < params.startups; i++) {
    const world = await startWorld({ context: { ...context, entry }, webuis: [{ generationMs: 20 }] });
    try {
      identify.push(world.identifyMs);
      healthy.push(world.bot.healthyMs);
      await settle(params.idleSettleMs);
      idle.push(round(world.bot.memory().rss / MIB));
      if (i === params.startups - 1) {
        await settle(params.settledIdleMs - params.idleSettleMs);
        settled = round(world.bot.memory().rss / MIB);
      }
    } finally {
      await world.close();
    }
  }
  const rounded = (values: number[]) => ({ ...summarize(values.map((value) => round(value))) });
  return {
    label: entry.label,
    identifyMs: rounded(identify),
    healthyMs: rounded(healthy),
    idleRssMiB: percentile(idle, 50),
    idleRssByStartMiB: idle,
    settledIdleRssMiB: settled,
    settledAfterMs: params.settledIdleMs,
  };
}

/** One wave of large jobs on a fresh bot: its idle RSS, then its peak while the wave runs. */
export async function measureWave(
  context: BenchContext,
  entry: BotEntry,
  params: BenchParams['versus'],
  env: Record<string, string> = {},
): Promise<WaveFigures> {
  const { wave: shape } = params;
  const world = await startWorld({
    context: { ...context, entry },
    env,
    webuis: Array.from({ length: shape.backends }, () => ({
      generationMs: shape.generationMs,
      noise: 'grain' as const,
    })),
  });
  try {
    await settle(params.idleSettleMs);
    const idleRssMiB = round(world.bot.memory().rss / MIB);
    const resetWorked = world.bot.resetPeak();
    let sampled = 0;
    const sampler = setInterval(() => {
      sampled = Math.max(sampled, world.bot.memory().rss);
    }, 25);
    const started = performance.now();
    const failedJobs = await wave(world, shape.jobs, shape.members, {
      width: shape.size,
      height: shape.size,
      count: shape.count,
    });
    const seconds = round((performance.now() - started) / 1000, 2);
    clearInterval(sampler);
    const peak = Math.max(sampled, resetWorked ? world.bot.memory().peak : 0);
    const settings = Object.entries(env).map(([key, value]) => `${key}=${value}`);
    return {
      label: settings.length === 0 ? entry.label : `${entry.label}, ${settings.join(' ')}`,
      jobs: shape.jobs,
      images: `${shape.count}×${shape.size}² grain`,
      idleRssMiB,
      peakRssMiB: round(peak / MIB),
      seconds,
      failedJobs,
    };
  } finally {
    await world.close();
  }
}

/** ours / minimal, to two decimals (NaN when either is missing). */
export function toRatio(ours: number, minimal: number): number {
  return minimal > 0 && Number.isFinite(ours) ? round(ours / minimal, 2) : Number.NaN;
}
