import './runtime/tuning.js';
import { pathToFileURL } from 'node:url';
import { Client, Events, GatewayIntentBits, Partials, type REST, Status } from 'discord.js';
import { config as loadDotenv } from 'dotenv';
import type { DestinationStream } from 'pino';
import { commands, handleModelsPage } from '../commands/index.js';
import { createCatalog } from './catalog/catalog.js';
import { ConfigError, type Env, parseConfig } from './config.js';
import { handleCancel } from './discord/cancel-button.js';
import type { BotDeps } from './discord/command.js';
import { createInteractionRest } from './discord/interaction-rest.js';
import { createDiscordJobReporter } from './discord/job-reporter.js';
import { registerCommands } from './discord/registration.js';
import { RESULT_BUTTONS, RESULT_MODALS } from './discord/result-actions.js';
import { createRouter } from './discord/router.js';
import { createTurns } from './discord/turns.js';
import { type HealthServer, startHealthServer } from './health-server.js';
import { createFileImageStore } from './jobs/image-store.js';
import { createSqliteJobStore } from './jobs/job-store.js';
import { type Backend, createJobRunner, type JobRunner } from './jobs/runner.js';
import { createLogger, type Logger, redactText } from './log.js';
import { createMetrics, type Metrics } from './metrics.js';
import { createSqliteUsageStore } from './policy/usage-store.js';
import { createSdClient } from './sd/client.js';
import { openDatabase } from './store/database.js';
import { createSqliteSettingsStore } from './store/settings-store.js';

export interface StartOptions {
  /** Where log lines go (tests capture them); default stdout. */
  logDestination?: DestinationStream;
  now?: () => number;
}

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

/** Catalog lists (samplers, models) are refreshed in the background this often. */
const CATALOG_TTL_MS = 5 * 60_000;

/** The composition root: builds every real adapter from the environment and starts the bot. */
export async function startBot(env: Env, options: StartOptions = {}): Promise<BotHandle> {
  const config = parseConfig(env);
  const now = options.now ?? Date.now;
  const secrets = [
    config.discord.token,
    // The password, and the Basic header value built from it (base64 of user:pass).
    ...config.backends.flatMap((backend) => [
      backend.password ?? '',
      backend.password === undefined
        ? ''
        : Buffer.from(`${backend.username ?? ''}:${backend.password}`, 'utf8').toString('base64'),
    ]),
  ].filter((secret) => secret.length > 0);
  const log = createLogger({
    level: config.logLevel,
    pretty: config.logPretty,
    secrets,
    ...(options.logDestination === undefined ? {} : { destination: options.logDestination }),
  });

  const db = openDatabase(config.databasePath);
  const settings = createSqliteSettingsStore(db, now);
  const usage = createSqliteUsageStore(db);
  const jobs = createSqliteJobStore(db);
  const images = createFileImageStore(db, config.imageDir);
  const backends: Backend[] = config.backends.map((backend) => {
    const client = createSdClient({
      url: backend.url,
      ...(backend.username === undefined ? {} : { username: backend.username }),
      ...(backend.password === undefined ? {} : { password: backend.password }),
      timeoutMs: config.limits.requestTimeoutMs,
      gzip: config.sdGzip,
    });
    return { id: client.label, client };
  });
  const catalog = createCatalog({
    clients: backends.map((backend) => backend.client),
    ttlMs: CATALOG_TTL_MS,
    now,
    log,
  });
  const metrics = createMetrics();

  const client = new Client({
    intents: [GatewayIntentBits.Guilds],
    partials: [Partials.Channel],
    rest: { api: config.discord.apiUrl },
    allowedMentions: { parse: [] },
  });
  const interactionRest = createInteractionRest(config.discord.apiUrl);
  const reporter = createDiscordJobReporter({
    rest: client.rest,
    interactionRest,
    store: jobs,
    log,
    now,
    onDiscordError: (code) => metrics.discordError(code),
  });
  const runner = createJobRunner({
    store: jobs,
    backends,
    reporter,
    log,
    now,
    metrics,
    limits: {
      maxPendingPerUser: config.limits.maxPendingPerUser,
      maxQueueLength: config.limits.maxQueueLength,
    },
    progressIntervalMs: config.jobs.progressIntervalMs,
    livePreview: config.jobs.livePreview,
    concurrencyPerBackend: config.jobs.concurrencyPerBackend,
    maxAttempts: config.jobs.maxAttempts,
    modelAffinity: config.jobs.modelAffinity,
    images,
  });
  const deps: BotDeps = {
    config,
    runner,
    reporter,
    jobs,
    images,
    settings,
    usage,
    catalog,
    backends,
    log,
    now,
    turns: createTurns(),
  };
  const router = createRouter(
    commands,
    { cancel: handleCancel, models: handleModelsPage, ...RESULT_BUTTONS },
    deps,
    RESULT_MODALS,
  );

  client.on(Events.InteractionCreate, (interaction) => {
    router
      .handle(interaction)
      .catch((error: unknown) => log.error({ err: error }, 'unhandled interaction error'));
  });
  client.on(Events.Error, (error) => log.error({ err: error }, 'discord client error'));
  client.on(Events.ShardDisconnect, (event) => log.warn({ code: event.code }, 'gateway disconnected'));
  client.on(Events.ShardResume, () => log.info('gateway resumed'));

  const ready = new Promise<void>((resolve) => client.once(Events.ClientReady, () => resolve()));
  try {
    await client.login(config.discord.token);
    await ready;
  } catch (error: unknown) {
    await client.destroy();
    db.close();
    await Promise.all(backends.map((backend) => backend.client.close()));
    throw error;
  }
  const applicationId = client.application?.id ?? client.user?.id ?? '';
  log.info(
    { user: client.user?.tag, applicationId, backends: backends.map((b) => b.id) },
    'logged in to Discord',
  );

  await registerCommands(
    client.rest,
    commands.map((command) => command.data),
    { applicationId, guildId: config.discord.guildId },
    settings,
    log,
  ).catch((error: unknown) =>
    log.error({ err: error }, 'command registration failed; existing commands stay'),
  );

  // Warm the caches and learn which model each backend has loaded, without delaying start-up.
  for (const key of ['samplers', 'schedulers', 'models'] as const) {
    catalog
      .get(key)
      .catch((error: unknown) =>
        log.warn({ err: error, list: key }, 'could not fetch a list from the WebUI'),
      );
  }
  for (const backend of backends) {
    backend.client
      .getOptions()
      .then((opts) => runner.setLoadedModel(backend.id, opts.sd_model_checkpoint ?? undefined))
      .catch((error: unknown) =>
        log.warn({ err: error, backend: backend.id }, 'image server not reachable at start'),
      );
  }
  await runner.start();

  let health: HealthServer | undefined;
  if (config.metricsPort !== undefined) {
    health = await startHealthServer({
      port: config.metricsPort,
      metrics,
      health: () => ({
        gatewayConnected: client.ws.status === Status.Ready,
        backendsUp: runner.backends().filter((backend) => backend.state !== 'down').length,
        backendsTotal: backends.length,
      }),
    });
    log.info({ port: health.port }, 'health and metrics server listening');
  }

  // Retention of kept images: once at start, then hourly.
  const DAY_MS = 24 * 60 * 60_000;
  let pruning: Promise<void> = Promise.resolve();
  const prune = () => {
    if (config.results.retentionDays === 0) return;
    pruning = pruning.then(async () => {
      try {
        const removed = await images.pruneBefore(now() - config.results.retentionDays * DAY_MS);
        if (removed > 0)
          log.info({ removed, retentionDays: config.results.retentionDays }, 'pruned kept images');
      } catch (error: unknown) {
        log.warn({ err: error }, 'pruning kept images failed');
      }
    });
  };
  prune();
  const pruner = setInterval(prune, 60 * 60_000);
  pruner.unref();

  const gauges = setInterval(() => {
    metrics.runningJobs(runner.backends().reduce((sum, backend) => sum + backend.running, 0));
  }, 1000);
  gauges.unref();

  let stopping: Promise<void> | undefined;
  return {
    client,
    runner,
    metrics,
    log,
    applicationId,
    interactionRest,
    healthPort: health?.port,
    stop() {
      stopping ??= (async () => {
        log.info({ graceMs: config.jobs.shutdownGraceMs }, 'shutting down');
        clearInterval(gauges);
        clearInterval(pruner);
        await runner.stop(config.jobs.shutdownGraceMs);
        await pruning;
        await health?.close();
        await client.destroy();
        await Promise.all(backends.map((backend) => backend.client.close()));
        db.close();
        log.info('stopped');
      })();
      return stopping;
    },
  };
}

/** `npm start`: reads `.env` (the environment wins), starts, and stops cleanly on SIGTERM/SIGINT. */
async function main(): Promise<void> {
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
      const secrets = [process.env.DISCORD_TOKEN ?? '', process.env.SD_API_PASSWORD ?? ''];
      process.stderr.write(`The bot could not start: ${redactText(message, secrets)}\n`);
    }
    process.exit(1);
  }
  if (stopSignal !== undefined) stop(handle, stopSignal);
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  void main();
}
