/**
 * The bot's event-loop delay over one phase, from its `/metrics`: prom-client samples the loop with
 * `monitorEventLoopDelay({ resolution: 10 })` and resets the histogram on every scrape, so a scrape
 * before a phase starts a fresh window and a scrape after it reads that window. Each sample is the
 * whole interval between two 10 ms timer ticks, so an idle loop reads about 10 ms: the delay is
 * what a sample adds to that interval (sample − 10 ms, at least 0). The raw samples are kept too.
 */
import type { BotProcess } from './bot-process.js';
import { round } from './stats.js';

export interface LoopDelay {
  /** How late the 10 ms tick fired: the raw sample less the tick interval. */
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  /** The raw samples (tick interval included), as prom-client reports them. */
  raw: { p50Ms: number; p99Ms: number; maxMs: number };
}

/** prom-client's `monitorEventLoopDelay` resolution. */
const TICK_MS = 10;

const rawMs = (samples: Map<string, number>, name: string) => (samples.get(name) ?? Number.NaN) * 1000;
const delayMs = (raw: number) => round(Math.max(0, raw - TICK_MS));

/** Starts a window; the returned function ends it and reads the delays inside it. */
export async function startLoopWindow(bot: BotProcess): Promise<() => Promise<LoopDelay>> {
  await bot.scrape();
  return async () => {
    const samples = await bot.scrape();
    const p50 = rawMs(samples, 'nodejs_eventloop_lag_p50_seconds');
    const p99 = rawMs(samples, 'nodejs_eventloop_lag_p99_seconds');
    const max = rawMs(samples, 'nodejs_eventloop_lag_max_seconds');
    return {
      p50Ms: delayMs(p50),
      p99Ms: delayMs(p99),
      maxMs: delayMs(max),
      raw: { p50Ms: round(p50), p99Ms: round(p99), maxMs: round(max) },
    };
  };
}
