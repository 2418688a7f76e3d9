/**
 * The bot's event-loop delay over one phase, from its `/metrics`: prom-client samples the loop with
 * `monitorEventLoopDelay({ resolution: 10 })` and resets the histogram on every scrape, so a scrape
 * before a phase starts a fresh window and a scrape after it reads that window. Each sample is the
 * whole interval between two 10 ms timer ticks, so an idle loop reads about 10 ms.
 */
import type { BotProcess } from './bot-process.js';
import { round } from './stats.js';

export interface LoopDelay {
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
}

const toMs = (samples: Map<string, number>, name: string) => round((samples.get(name) ?? Number.NaN) * 1000);

/** Starts a window; the returned function ends it and reads the delays inside it. */
export async function startLoopWindow(bot: BotProcess): Promise<() => Promise<LoopDelay>> {
  await bot.scrape();
  return async () => {
    const samples = await bot.scrape();
    return {
      p50Ms: toMs(samples, 'nodejs_eventloop_lag_p50_seconds'),
      p99Ms: toMs(samples, 'nodejs_eventloop_lag_p99_seconds'),
      maxMs: toMs(samples, 'nodejs_eventloop_lag_max_seconds'),
    };
  };
}
