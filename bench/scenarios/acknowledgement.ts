/**
 * Acknowledgement latency: many /imagine sent at once from many members; for each, the time from
 * INTERACTION_CREATE leaving the fake gateway to the deferral (callback type 5) reaching the fake REST.
 * A few jobs run first so the burst meets a warm bot; then several bursts, each drained before the next.
 * Several bots (ours and the minimal one) take turns burst by burst. The fake WebUIs run in a process of
 * their own: the minimal bot sends its 200 requests at once, which in the bench process held up the fake
 * Discord that stamps the deferrals.
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

async function startAckWorld(context: BenchContext, params: BenchParams['ack']): Promise<World> {
  const world = await startWorld({
    context,
    webuis: Array.from({ length: params.backends }, () => ({ generationMs: params.generationMs })),
    webuisApart: true,
  });
  for (let i = 0; i < params.warmup; i++) await waitForOutcome(imagine(world, 0, { prompt: `warm-up ${i}` }));
  return world;
}

interface Tally {
  rounds: AckRound[];
  acks: number[];
  failedJobs: number;
}

function toResult(params: BenchParams['ack'], tally: Tally): AckResult {
  const acknowledged = tally.acks.filter((ms) => Number.isFinite(ms));
  const worst = tally.rounds.reduce((a, b) => (b.loop.p99Ms > a.loop.p99Ms ? b : a));
  return {
    commands: params.commands,
    members: params.members,
    latencyMs: summarize(acknowledged),
    rounds: tally.rounds,
    unacknowledged: tally.acks.length - acknowledged.length,
    failedJobs: tally.failedJobs,
    loop: worst.loop,
  };
}

/**
 * Bots side by side: each warmed up, then their bursts take turns (round 1 of each, round 2 of
 * each, …), so a change in the machine's load meets every bot alike and their ratio stays fair.
 */
export async function measureAcknowledgements(
  contexts: readonly BenchContext[],
  params: BenchParams['ack'],
): Promise<AckResult[]> {
  const worlds: World[] = [];
  try {
    for (const context of contexts) worlds.push(await startAckWorld(context, params));
    const tallies: Tally[] = worlds.map(() => ({ rounds: [], acks: [], failedJobs: 0 }));
    for (let i = 0; i < params.rounds; i++) {
      for (const [index, world] of worlds.entries()) {
        const tally = tallies[index] as Tally;
        const result = await burst(world, params, i);
        tally.rounds.push(result.round);
        tally.acks.push(...result.acks);
        tally.failedJobs += result.failed;
      }
    }
    return tallies.map((tally) => toResult(params, tally));
  } finally {
    await Promise.all(worlds.map((world) => world.close()));
  }
}
