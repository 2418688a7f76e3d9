import { Client, Events, GatewayIntentBits, Partials, type REST, Status } from 'discord.js';
import type { DestinationStream } from 'pino';
import { commands, handleLorasPage, handleModelsPage } from '../../commands/index.js';
import { createCatalog } from '../catalog/catalog.js';
import { type Config, workerIdOf } from '../config.js';
import { holdsGuild } from '../config-shards.js';
import { createInteractionRest } from '../discord/delivery/interaction-rest.js';
import { createDiscordJobReporter } from '../discord/delivery/job-reporter.js';
import { throttleProgress } from '../discord/delivery/progress-throttle.js';
import { handleCancel } from '../discord/intake/cancel-button.js';
import type { BotDeps } from '../discord/intake/command.js';
import { createMemberOrder } from '../discord/intake/member-order.js';
import { registerCommands } from '../discord/intake/registration.js';
import { createRouter } from '../discord/intake/router.js';
import { createTurns } from '../discord/intake/turns.js';
import { RESULT_BUTTONS, RESULT_MODALS } from '../discord/results/result-actions.js';
import { type HealthServer, startHealthServer } from '../health-server.js';
import { canRun } from '../jobs/eligibility.js';
import { createJobRunner, type JobRunner } from '../jobs/runner.js';
import type { Job } from '../jobs/types.js';
import { createLogger, type Logger } from '../log.js';
import { createMetrics, type Metrics } from '../metrics.js';
import { sameModel } from '../models/match.js';
import { serverLocale } from '../policy/guild-policy.js';
import { secretsOf } from '../secrets.js';
import { createBackends } from './engines.js';
import { startHousekeeping } from './housekeeping.js';
import { openStoreBackend } from './store-backend.js';

export interface AppOptions {
  /** Where log lines go (tests capture them); default stdout. */
  logDestination?: DestinationStream;
  now?: () => number;
}

/** Every part of the bot, built and wired but not started. */
export interface App {
  config: Config;
  log: Logger;
  client: Client;
  /** The REST client of result and progress edits (interaction tokens). */
  interactionRest: REST;
  runner: JobRunner;
  metrics: Metrics;
  deps: BotDeps;
  /** Logs in, registers the commands, starts the queue and the housekeeping. */
  start(): Promise<{ applicationId: string; healthPort: number | undefined }>;
  /** Stops taking jobs, lets running ones finish within the grace period, keeps the rest, disconnects. */
  stop(): Promise<void>;
}

/** Catalog lists (samplers, models) are refreshed in the background this often. */
const CATALOG_TTL_MS = 5 * 60_000;

/** Builds every real adapter from the configuration. Nothing talks to Discord or a server yet. */
/** One function on purpose: it is the wiring diagram of the bot, every part built once and handed to the next. */
export function createApp(config: Config, options: AppOptions = {}): App {
  const now = options.now ?? Date.now;
  const log = createLogger({
    level: config.logLevel,
    pretty: config.logPretty,
    secrets: secretsOf(config),
    ...(options.logDestination === undefined ? {} : { destination: options.logDestination }),
  });
  // The queue, settings, quotas and kept images: in the SQLite file, or with DATABASE_URL in PostgreSQL.
  // One id for the leases and for the hold keeping a second live process off it (waited for a lease).
  const workerId = workerIdOf(config);
  const holder = config.role === 'gateway' ? undefined : { id: workerId, waitMs: config.jobs.leaseMs };
  const stores = openStoreBackend(config, { log, now, worker: holder });
  const { settings, images, jobs: jobQueue } = stores;
  const jobs = jobQueue.records;
  const backends = createBackends(config, log);
  const catalog = createCatalog({
    backends,
    ttlMs: CATALOG_TTL_MS,
    now,
    log,
    timeoutMs: Math.min(config.limits.requestTimeoutMs, 15_000),
  });
  const metrics = createMetrics();
  const client = new Client({
    intents: [GatewayIntentBits.Guilds],
    partials: [Partials.Channel],
    rest: { api: config.discord.apiUrl },
    allowedMentions: { parse: [] },
    // SHARD_COUNT/SHARD_IDS: this process's range of the bot's shards (default one of one).
    shards: config.shards.ids,
    shardCount: config.shards.count,
  });
  const interactionRest = createInteractionRest(config.discord.apiUrl);
  const reporter = throttleProgress(
    createDiscordJobReporter({
      rest: client.rest,
      interactionRest,
      store: jobs,
      log,
      now,
      onDiscordError: (code) => metrics.discordError(code),
      canUpscale: () => backends.some((backend) => backend.engine.capabilities.upscale),
      // Jobs from before languages were kept speak the server's language.
      defaultLocale: (guildId) => serverLocale({ settings }, guildId),
    }),
    config.jobs.progressIntervalMs,
    now,
  );
  /** Each server's LoRAs and styles as cached now, for jobs that use them (see `canRun`). */
  const featureLists = (job: Pick<Job, 'params'>, backendId: string) => ({
    loras: (job.params.loras?.length ?? 0) === 0 ? undefined : catalog.snapshot('loras')?.get(backendId),
    styles:
      (job.params.styles?.length ?? 0) === 0
        ? undefined
        : catalog
            .snapshot('styles')
            ?.get(backendId)
            ?.map((style) => style.name),
  });
  const runner = createJobRunner({
    queue: jobQueue.queue,
    store: jobs,
    worker: workerId,
    leaseMs: config.jobs.leaseMs,
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
    claimAheadMs: config.jobs.claimAheadMs,
    // The front (gateway) process tells queued members their place; a worker only its own jobs.
    announcesLine: config.role !== 'worker',
    announces: (job) => holdsGuild(config.shards, job.guildId),
    // A gateway enqueues and leaves every job to the workers; its backends serve lists only.
    runsJobs: config.role !== 'gateway',
    sharedQueue: config.databaseUrl !== undefined,
    images,
    probeTimeoutMs: Math.min(config.limits.requestTimeoutMs, 10_000),
    eligible: (job, backendId, pool) => {
      const engine = pool.engine(backendId);
      const loaded = pool.statuses().find((status) => status.id === backendId)?.loadedModel;
      const listed = catalog.cachedByBackend('models');
      const checkpoints = listed.get(backendId);
      const known = [...listed.values()].flat();
      return (
        engine !== undefined &&
        canRun(job, {
          capabilities: engine.capabilities,
          loadedModel: loaded,
          sameModel: (a, b) => a === b || sameModel(a, b, known),
          checkpoints: checkpoints?.map((model) => model.title),
          ...featureLists(job, backendId),
        })
      );
    },
  });
  const deps: BotDeps = {
    config,
    runner,
    reporter,
    jobs,
    images,
    settings,
    usage: stores.usage,
    catalog,
    backends,
    log,
    now,
    turns: createTurns(),
    memberOrder: createMemberOrder(),
  };
  const router = createRouter(
    {
      commands,
      buttons: { cancel: handleCancel, models: handleModelsPage, loras: handleLorasPage, ...RESULT_BUTTONS },
      modals: RESULT_MODALS,
    },
    deps,
  );
  client.on(Events.InteractionCreate, (interaction) => {
    router
      .handle(interaction)
      .catch((error: unknown) => log.error({ err: error }, 'unhandled interaction error'));
  });
  client.on(Events.Error, (error) => log.error({ err: error }, 'discord client error'));
  client.on(Events.ShardDisconnect, (event) => log.warn({ code: event.code }, 'gateway disconnected'));
  client.on(Events.ShardResume, () => log.info('gateway resumed'));

  let health: HealthServer | undefined;
  let housekeeping: { stop(): Promise<void> } | undefined;
  const closeResources = async () => {
    await client.destroy();
    await Promise.all(backends.map((backend) => backend.engine.close()));
    await stores.close();
  };
  let stopping: Promise<void> | undefined;

  /** Logs in to the gateway and registers the commands; the application id. */
  const logIn = async (): Promise<string> => {
    const ready = new Promise<void>((resolve) => client.once(Events.ClientReady, () => resolve()));
    try {
      await client.login(config.discord.token);
      await ready;
    } catch (error: unknown) {
      await closeResources();
      throw error;
    }
    const applicationId = client.application?.id ?? client.user?.id ?? '';
    log.info(
      { user: client.user?.tag, applicationId, backends: backends.map((b) => b.id), shards: config.shards },
      'logged in to Discord',
    );
    // Registration is one REST call for the whole bot: the process holding shard 0 makes it.
    if (!config.shards.ids.includes(0)) return applicationId;
    await registerCommands(
      client.rest,
      commands.map((command) => command.data),
      { applicationId, guildId: config.discord.guildId },
      settings,
      log,
    ).catch((error: unknown) =>
      log.error({ err: error }, 'command registration failed; existing commands stay'),
    );
    return applicationId;
  };

  /**
   * BOT_ROLE=worker: no gateway, no commands. It runs jobs from the shared queue and delivers them
   * over REST (each job's interaction token, the bot token for channel messages).
   */
  const startWorkerOnly = (): string => {
    client.rest.setToken(config.discord.token);
    log.info({ backends: backends.map((b) => b.id) }, 'worker only: running jobs from the shared queue');
    return '';
  };

  return {
    config,
    log,
    client,
    interactionRest,
    runner,
    metrics,
    deps,
    async start() {
      try {
        await stores.ready;
        log.info({ queue: stores.kind, role: config.role }, 'job queue open');
      } catch (error: unknown) {
        await closeResources();
        throw error;
      }
      const applicationId = config.role === 'worker' ? startWorkerOnly() : await logIn();
      // Warm the caches without delaying start-up; then the runner probes each server's capabilities.
      const warm = Promise.allSettled(
        (['samplers', 'schedulers', 'models'] as const).map((key) =>
          catalog.get(key).catch((error: unknown) => {
            log.warn({ err: error, list: key }, 'could not fetch a list from the image server');
          }),
        ),
      );
      await runner.start(warm);
      if (config.metricsPort !== undefined) {
        health = await startHealthServer({
          port: config.metricsPort,
          metrics,
          health: () => ({
            // A worker has no gateway connection to lose.
            gatewayConnected: config.role === 'worker' || client.ws.status === Status.Ready,
            backendsUp: runner.backends().filter((backend) => backend.state !== 'down').length,
            backendsTotal: backends.length,
          }),
        });
        log.info({ port: health.port }, 'health and metrics server listening');
      }
      housekeeping = startHousekeeping({ config, images, runner, metrics, log, now });
      return { applicationId, healthPort: health?.port };
    },
    stop() {
      stopping ??= (async () => {
        log.info({ graceMs: config.jobs.shutdownGraceMs }, 'shutting down');
        await housekeeping?.stop();
        await runner.stop(config.jobs.shutdownGraceMs);
        await health?.close();
        await closeResources();
        log.info('stopped');
      })();
      return stopping;
    },
  };
}
