import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';

/** The state changes a job goes through; each one counts once in `sdbot_jobs_total`. */
export const JOB_STATES = ['queued', 'running', 'succeeded', 'failed', 'cancelled', 'retried'] as const;
export type JobState = (typeof JOB_STATES)[number];

/** What the bot reports; every method is cheap and never throws. */
export interface Metrics {
  /** A job entered `state` (`retried` counts a retry, not a state the job stays in). */
  jobState(state: JobState): void;
  /** Jobs waiting for a backend right now. */
  queueLength(count: number): void;
  /** Jobs generating right now. */
  runningJobs(count: number): void;
  /** One finished generation: how long the WebUI took, by backend label and model name. */
  generation(backend: string, model: string, seconds: number): void;
  backendUp(backend: string, up: boolean): void;
  /** A failed Discord API call: the Discord error code (50013), the HTTP status (429) or a word (`network`). */
  discordError(code: string | number): void;
  /** The Prometheus text exposition of everything above plus the process metrics. */
  render(): Promise<string>;
  readonly contentType: string;
  readonly registry: Registry;
}

export interface MetricsOptions {
  /** Collect the default `process_*`/`nodejs_*` metrics (default true). */
  processMetrics?: boolean;
}

/** Seconds; a generation takes from about a second (turbo, small) to minutes (hires, queued). */
const GENERATION_BUCKETS = [0.5, 1, 2, 5, 10, 20, 30, 60, 120, 300, 600];

/** Builds the metrics on a registry of their own, so several instances (tests) never collide. */
export function createMetrics(options: MetricsOptions = {}): Metrics {
  const registry = new Registry();
  if (options.processMetrics ?? true) collectDefaultMetrics({ register: registry });

  const jobsTotal = new Counter({
    name: 'sdbot_jobs_total',
    help: 'Job state changes, by the state entered.',
    labelNames: ['state'] as const,
    registers: [registry],
  });
  for (const state of JOB_STATES) jobsTotal.inc({ state }, 0);

  const queueLength = new Gauge({
    name: 'sdbot_queue_length',
    help: 'Jobs waiting for a backend.',
    registers: [registry],
  });
  const running = new Gauge({
    name: 'sdbot_jobs_running',
    help: 'Jobs generating on a backend.',
    registers: [registry],
  });
  const generationSeconds = new Histogram({
    name: 'sdbot_generation_seconds',
    help: 'Time the WebUI took for one generation request, by backend and model.',
    labelNames: ['backend', 'model'] as const,
    buckets: GENERATION_BUCKETS,
    registers: [registry],
  });
  const backendUp = new Gauge({
    name: 'sdbot_backend_up',
    help: '1 when the WebUI backend answered its last check, else 0.',
    labelNames: ['backend'] as const,
    registers: [registry],
  });
  const discordErrors = new Counter({
    name: 'sdbot_discord_api_errors_total',
    help: 'Failed Discord API calls, by Discord error code or HTTP status.',
    labelNames: ['code'] as const,
    registers: [registry],
  });

  return {
    jobState: (state) => jobsTotal.inc({ state }),
    queueLength: (count) => queueLength.set(Math.max(0, count)),
    runningJobs: (count) => running.set(Math.max(0, count)),
    generation: (backend, model, seconds) => {
      if (Number.isFinite(seconds) && seconds >= 0) generationSeconds.observe({ backend, model }, seconds);
    },
    backendUp: (backend, up) => backendUp.set({ backend }, up ? 1 : 0),
    discordError: (code) => discordErrors.inc({ code: String(code) }),
    render: () => registry.metrics(),
    contentType: registry.contentType,
    registry,
  };
}
