/**
 * Acknowledgement latency: many /imagine sent at once from many members; for each, the time from
 * INTERACTION_CREATE leaving the fake gateway to the deferral (callback type 5) reaching the fake REST.
 * A few jobs run first so the burst meets a warm bot; then several bursts, each drained before the next.
 */
import { type LoopDelay, startLoopWindow } from '../event-loop.js';
import type { BenchParams } from '../params.js';
import { round, type Summary, summarize } from '../stats.js';
import { type BenchContext, imagine, startWorld, type World, waitForOutcome } from '../world.js';

export interface AckRound {
  /** Milliseconds from dispatch to the deferral, on the fake's clock (1 ms resolution). */
  latencyMs: Summary & { min: number };
  /** From the first dispatch until every member saw their place in line. */
  burstMs: number;
  /** Bot CPU time over the burst, per command (ms). */
  cpuMsPerCommand: number;
  /** Event-loop delay of the bot over the burst. */
  loop: LoopDelay;
}

export interface AckResult {
  commands: number;
  members: number;
  /** Every round together. */
  latencyMs: Summary;
  rounds: AckRound[];
  /** Interactions the bot did not acknowledge in time (Discord would show "The application did not respond"). */
  unacknowledged: number;
  /** Jobs that did not end with their image. */
  failedJobs: number;
  /** The worst round's event-loop delay. */
  loop: LoopDelay;
}

async function burst(
  world: World,
  params: BenchParams['ack'],
  index: number,
): Promise<{ round: AckRound; acks: number[]; failed: number }> {
  const endWindow = await startLoopWindow(world.bot);
  const cpuBefore = world.bot.cpuMs();
  const started = performance.now();
  const handles = Array.from({ length: params.commands }, (_, i) =>
    imagine(world, i % params.members, { prompt: `a lighthouse at dusk, round ${index}, burst ${i}` }),
  );
  const acks = await Promise.all(
    handles.map((handle) =>
      handle.ack(10_000).then(
        (callback) => (callback.type === 5 ? callback.delayMs : Number.NaN),
        () => Number.NaN,
      ),
    ),
  );
  // The burst ends when every member sees their place in line (the first edit after the deferral).
  await Promise.all(handles.map((handle) => handle.waitForEdit(undefined, 30_000).catch(() => undefined)));
  const burstMs = performance.now() - started;
  const cpuMs = world.bot.cpuMs() - cpuBefore;
  const loop = await endWindow();
  const outcomes = await Promise.all(
    handles.map((handle) => waitForOutcome(handle).catch(() => ({ ok: false }))),
  );
  world.discord.requests.length = 0;
  const acknowledged = acks.filter((ms) => Number.isFinite(ms));
  return {
    round: {
      latencyMs: { ...summarize(acknowledged), min: Math.min(...acknowledged) },
      burstMs: round(burstMs),
      cpuMsPerCommand: round(cpuMs / params.commands, 2),
      loop,
    },
    acks,
    failed: outcomes.filter((outcome) => !outcome.ok).length,
  };
}

export async function measureAcknowledgement(
  context: BenchContext,
  params: BenchParams['ack'],
): Promise<AckResult> {
  const world = await startWorld({
    context,
    webuis: Array.from({ length: params.backends }, () => ({ generationMs: params.generationMs })),
  });
  try {
    for (let i = 0; i < params.warmup; i++)
      await waitForOutcome(imagine(world, 0, { prompt: `warm-up ${i}` }));
    const rounds: AckRound[] = [];
    const all: number[] = [];
    let failedJobs = 0;
    for (let i = 0; i < params.rounds; i++) {
      const result = await burst(world, params, i);
      rounds.push(result.round);
      all.push(...result.acks);
      failedJobs += result.failed;
    }
    const acknowledged = all.filter((ms) => Number.isFinite(ms));
    const worst = rounds.reduce((a, b) => (b.loop.p99Ms > a.loop.p99Ms ? b : a));
    return {
      commands: params.commands,
      members: params.members,
      latencyMs: summarize(acknowledged),
      rounds,
      unacknowledged: all.length - acknowledged.length,
      failedJobs,
      loop: worst.loop,
    };
  } finally {
    await world.close();
  }
}
