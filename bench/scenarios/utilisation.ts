/**
 * Backend utilisation: with the line always full, how close the bot keeps N backends to their ideal
 * throughput (N / generation time). Measured on the fake WebUIs' own stamps: from the first txt2img
 * request received to the last answer sent.
 */
import type { BenchParams } from '../params.js';
import { percentile, round } from '../stats.js';
import type { Stamp } from '../webui-host.js';
import { type BenchContext, imagine, startWorld, type World, waitForOutcome } from '../world.js';

export interface UtilisationRun {
  backends: number;
  /** Jobs sent to one WebUI at once (SD_CONCURRENCY_PER_BACKEND). */
  concurrency: number;
  jobs: number;
  jobsPerSecond: number;
  idealJobsPerSecond: number;
  /** jobsPerSecond / idealJobsPerSecond. */
  fraction: number;
  /**
   * Median time a backend sat idle between answering one job and receiving the next (the bot's turn),
   * ms; null with concurrency above 1, where the next request is already waiting.
   */
  medianBotGapMs: number | null;
  /** Median time the fake spent past the generation time (encoding its PNG, sending it), ms; null as above. */
  medianWebuiExtraMs: number | null;
  failedJobs: number;
}

type Timed = Stamp & { finishedAt: number };

/** What the fake WebUIs' own stamps of their txt2img requests say about how busy the bot kept them. */
export interface BackendStamps {
  /** txt2img requests answered. */
  answered: number;
  jobsPerSecond: number;
  /** backends / generation time. */
  idealJobsPerSecond: number;
  /** Per backend, each wait between answering one job and receiving the next, ms. */
  gaps: number[];
  /** Each request's time past the generation time, ms. */
  extras: number[];
  /** The most txt2img requests one backend was serving at once (the capacity seen from the backend). */
  mostAtOnce: number;
  /**
   * Time the backends spent serving, over backends × the span: what the bot's waits alone leave of
   * the span, whatever each request took at the fake (its own turn on the shared cores included).
   */
  busyFraction: number;
}

function mostAtOnce(requests: readonly Timed[]): number {
  const edges = requests.flatMap((request) => [
    { at: request.receivedAt, step: 1 },
    { at: request.finishedAt, step: -1 },
  ]);
  // An answer and the next request at the same stamp do not overlap.
  edges.sort((a, b) => a.at - b.at || a.step - b.step);
  let now = 0;
  let most = 0;
  for (const edge of edges) {
    now += edge.step;
    most = Math.max(most, now);
  }
  return most;
}

/** From the first txt2img request received to the last answer sent, over every WebUI. */
export function backendStamps(webuis: readonly (readonly Stamp[])[], generationMs: number): BackendStamps {
  const perBackend = webuis.map((requests) =>
    requests
      .filter(
        (request): request is Timed =>
          request.path === '/sdapi/v1/txt2img' && request.finishedAt !== undefined,
      )
      .sort((a, b) => a.receivedAt - b.receivedAt),
  );
  const all = perBackend.flat();
  const start = Math.min(...all.map((request) => request.receivedAt));
  const end = Math.max(...all.map((request) => request.finishedAt));
  return {
    answered: all.length,
    jobsPerSecond: all.length / ((end - start) / 1000),
    idealJobsPerSecond: webuis.length / (generationMs / 1000),
    gaps: perBackend.flatMap((requests) =>
      requests.slice(1).map((request, i) => request.receivedAt - (requests[i] as Timed).finishedAt),
    ),
    extras: all.map((request) => request.finishedAt - request.receivedAt - generationMs),
    mostAtOnce: Math.max(0, ...perBackend.map(mostAtOnce)),
    busyFraction:
      all.reduce((sum, request) => sum + request.finishedAt - request.receivedAt, 0) /
      (webuis.length * (end - start)),
  };
}

/** `jobs` /imagine from 10 members at once, each awaited to its end: how many failed. */
export async function sendAndAwait(world: World, jobs: number, size: number, label: string): Promise<number> {
  const handles = Array.from({ length: jobs }, (_, i) =>
    imagine(world, i % 10, { prompt: `${label} ${i}`, width: size, height: size }),
  );
  const outcomes = await Promise.all(
    handles.map((handle) => waitForOutcome(handle).catch(() => ({ ok: false }))),
  );
  return outcomes.filter((outcome) => !outcome.ok).length;
}

/** `env`: further bot configuration (e.g. DATABASE_URL for the PostgreSQL queue). */
export async function measureUtilisationRun(
  context: BenchContext,
  params: BenchParams['utilisation'],
  shape: { backends: number; concurrency: number },
  env: Record<string, string> = {},
): Promise<UtilisationRun> {
  const { backends, concurrency } = shape;
  const world = await startWorld({
    context,
    // A fixed generation time: the fake encodes its PNGs inside it, so the wait measured between
    // two jobs is what the bot adds, not the fake's encoding on the bench's shared cores; and the
    // same PNG for every answer, encoded once, so that encoding takes none of those cores either.
    webuis: Array.from({ length: backends }, () => ({
      generationMs: params.generationMs,
      fixedServiceTime: true,
      reuseImages: true,
    })),
    env: { SD_CONCURRENCY_PER_BACKEND: String(concurrency), ...env },
  });
  try {
    const jobs = params.jobsPerBackend * backends;
    const failedJobs = await sendAndAwait(world, jobs, params.size, 'a windmill');
    const stamps = backendStamps(await world.stamps(), params.generationMs);
    return {
      backends,
      concurrency,
      jobs,
      jobsPerSecond: round(stamps.jobsPerSecond, 2),
      idealJobsPerSecond: round(stamps.idealJobsPerSecond, 2),
      fraction: round(stamps.jobsPerSecond / stamps.idealJobsPerSecond, 3),
      medianBotGapMs: concurrency === 1 ? round(percentile(stamps.gaps, 50)) : null,
      medianWebuiExtraMs: concurrency === 1 ? round(percentile(stamps.extras, 50)) : null,
      failedJobs,
    };
  } finally {
    await world.close();
  }
}
