// First, and a side-effect import so it stays first: V8's start-up heap setting applies before any
// other module's code runs.
import './runtime/start-up-heap.js';
import { pathToFileURL } from 'node:url';
import type { Client, REST } from 'discord.js';
import { config as loadDotenv } from 'dotenv';
import { type AppOptions, createApp } from './app/create-app.js';
import { ConfigError, type Env, parseConfig } from './config.js';
import type { JobRunner } from './jobs/runner.js';
import { type Logger, redactText } from './log.js';
import type { Metrics } from './metrics.js';
import { releaseStartUpHeap } from './runtime/start-up-heap.js';
import { compileOnFirstCall } from './runtime/tiering.js';
import { secretsOfEnv } from './secrets.js';

export type StartOptions = AppOptions;

export interface BotHandle {
  client: Client;
  /** The REST client of result and progress edits (interaction tokens). */
  interactionRest: REST;
  runner: JobRunner;
  metrics: Metrics;
  log: Logger;
  healthPort: number | undefined;
  applicationId: string;
  /** Stops taking jobs, lets running ones finish within the grace period, keeps the rest, disconnects. */
  stop(): Promise<void>;
}

/** Parses the environment, builds the app (`createApp`) and starts it: what `npm start` and the tests run. */
export async function startBot(env: Env, options: StartOptions = {}): Promise<BotHandle> {
  const app = createApp(parseConfig(env), options);
  const { applicationId, healthPort } = await app.start();
  releaseStartUpHeap();
  return {
    client: app.client,
    interactionRest: app.interactionRest,
    runner: app.runner,
    metrics: app.metrics,
    log: app.log,
    healthPort,
    applicationId,
    stop: () => app.stop(),
  };
}

/**
 * `npm start` (scripts/start.mjs calls it) and `node dist/bot/index.js`: reads `.env` (the
 * environment wins), starts, and stops cleanly on SIGTERM/SIGINT.
 */
export async function main(): Promise<void> {
  compileOnFirstCall();
  loadDotenv({ quiet: true });
  let handle: BotHandle | undefined;
  let stopSignal: string | undefined;
  const stop = (bot: BotHandle, signal: string) => {
    bot.log.info({ signal }, 'signal received');
    bot.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        bot.log.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  // Installed before start-up, so a signal during start-up still ends in a clean stop.
  const onSignal = (signal: string) => {
    if (handle === undefined) stopSignal = signal;
    else stop(handle, signal);
  };
  process.once('SIGTERM', () => onSignal('SIGTERM'));
  process.once('SIGINT', () => onSignal('SIGINT'));
  try {
    handle = await startBot(process.env);
  } catch (error: unknown) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
    } else {
      const message = error instanceof Error ? error.message : String(error);
      // A ConfigError never echoes values; anything else may, so mask every secret we can know.
      const secrets = secretsOfEnv(process.env);
      process.stderr.write(`The bot could not start: ${redactText(message, secrets)}\n`);
    }
    process.exit(1);
  }
  if (stopSignal !== undefined) stop(handle, stopSignal);
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  void main();
}
