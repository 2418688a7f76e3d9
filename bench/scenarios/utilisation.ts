/**
 * Backend utilisation: with the line always full, how close the bot keeps N backends to their ideal
 * throughput (N / generation time). Measured on the fake WebUIs' own stamps: from the first txt2img
 * request received to the last answer sent.
 */
import type { RecordedRequest } from '../../test/fakes/webui/server.js';
import type { BenchParams } from '../params.js';
import { percentile, round } from '../stats.js';
import { type BenchContext, imagine, startWorld, waitForOutcome } from '../world.js';

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

type Timed = RecordedRequest & { finishedAt: number };

export async function measureUtilisationRun(
  context: BenchContext,
  params: BenchParams['utilisation'],
  shape: { backends: number; concurrency: number },
): Promise<UtilisationRun> {
  const { backends, concurrency } = shape;
  const world = await startWorld({
    context,
    // A fixed generation time: the fake encodes its PNGs inside it, so the wait measured between
    // two jobs is what the bot adds, not the fake's encoding on the bench's shared cores.
    webuis: Array.from({ length: backends }, () => ({
      generationMs: params.generationMs,
      fixedServiceTime: true,
    })),
    env: { SD_CONCURRENCY_PER_BACKEND: String(concurrency) },
  });
  try {
    const jobs = params.jobsPerBackend * backends;
    const handles = Array.from({ length: jobs }, (_, i) =>
      imagine(world, i % 10, { prompt: `a windmill ${i}`, width: params.size, height: params.size }),
    );
    const outcomes = await Promise.all(
      handles.map((handle) => waitForOutcome(handle).catch(() => ({ ok: false }))),
    );
    const perBackend = world.webuis.map((webui) =>
      webui.requests
        .filter(
          (request): request is Timed =>
            request.path === '/sdapi/v1/txt2img' && request.finishedAt !== undefined,
        )
        .sort((a, b) => a.receivedAt - b.receivedAt),
    );
    const all = perBackend.flat();
    const start = Math.min(...all.map((request) => request.receivedAt));
    const end = Math.max(...all.map((request) => request.finishedAt));
    const gaps = perBackend.flatMap((requests) =>
      requests.slice(1).map((request, i) => request.receivedAt - (requests[i] as Timed).finishedAt),
    );
    const extras = all.map((request) => request.finishedAt - request.receivedAt - params.generationMs);
    const jobsPerSecond = all.length / ((end - start) / 1000);
    const ideal = backends / (params.generationMs / 1000);
    return {
      backends,
      concurrency,
      jobs,
      jobsPerSecond: round(jobsPerSecond, 2),
      idealJobsPerSecond: round(ideal, 2),
      fraction: round(jobsPerSecond / ideal, 3),
      medianBotGapMs: concurrency === 1 ? round(percentile(gaps, 50)) : null,
      medianWebuiExtraMs: concurrency === 1 ? round(percentile(extras, 50)) : null,
      failedJobs: outcomes.filter((outcome) => !outcome.ok).length,
    };
  } finally {
    await world.close();
  }
}
