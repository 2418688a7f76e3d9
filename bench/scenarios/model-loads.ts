/**
 * Model loads (issue #5): a mixed-model workload on two backends, with the scheduler's model affinity
 * on and off (SCHEDULER_MODEL_AFFINITY). The fakes count every checkpoint load.
 */
import { DEFAULT_MODELS, type FakeModel } from '../../test/fakes/webui/catalog.js';
import type { BenchParams } from '../params.js';
import { round } from '../stats.js';
import { type BenchContext, imagine, startWorld, waitForOutcome } from '../world.js';

const EXTRA_MODEL: FakeModel = {
  title: 'dreamshaper_8.safetensors [879db523c3]',
  model_name: 'dreamshaper_8',
  hash: '879db523c3',
  sha256: '879db523c30d3b9017143d56705015e15a2cb5628762c11d086fed9538abd7fd',
  filename: '/stable-diffusion-webui/models/Stable-diffusion/dreamshaper_8.safetensors',
  config: null,
};

export interface ModelLoadRun {
  affinity: boolean;
  modelLoads: number;
  /** From sending the first command to the last job's image. */
  wallSeconds: number;
  failedJobs: number;
}

export interface ModelLoadResult {
  jobs: number;
  /** How many jobs asked for each model. */
  jobsPerModel: Record<string, number>;
  /** Affinity on, then off, `repeats` times. */
  runs: ModelLoadRun[];
}

/** mulberry32: a small seeded generator, so both runs see the same workload. */
function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

export function toWorkload(params: BenchParams['modelLoads']): string[] {
  const models = [...DEFAULT_MODELS, EXTRA_MODEL].slice(0, params.models);
  const random = seeded(params.seed);
  return Array.from(
    { length: params.jobs },
    () => (models[Math.floor(random() * models.length)] as FakeModel).title,
  );
}

async function run(
  context: BenchContext,
  params: BenchParams['modelLoads'],
  workload: string[],
  affinity: boolean,
): Promise<ModelLoadRun> {
  const models = [...DEFAULT_MODELS, EXTRA_MODEL].slice(0, params.models);
  const world = await startWorld({
    context,
    webuis: Array.from({ length: params.backends }, () => ({
      models,
      generationMs: params.generationMs,
      modelLoadMs: params.modelLoadMs,
    })),
    env: { SCHEDULER_MODEL_AFFINITY: String(affinity) },
  });
  try {
    const started = performance.now();
    const handles = workload.map((model, i) =>
      imagine(world, i % params.members, { prompt: `a lantern ${i}`, model }),
    );
    const outcomes = await Promise.all(
      handles.map((handle) => waitForOutcome(handle).catch(() => ({ ok: false }))),
    );
    return {
      affinity,
      modelLoads: world.webuis.reduce((sum, webui) => sum + webui.modelLoads, 0),
      wallSeconds: round((performance.now() - started) / 1000, 2),
      failedJobs: outcomes.filter((outcome) => !outcome.ok).length,
    };
  } finally {
    await world.close();
  }
}

export async function measureModelLoads(
  context: BenchContext,
  params: BenchParams['modelLoads'],
): Promise<ModelLoadResult> {
  const workload = toWorkload(params);
  const jobsPerModel: Record<string, number> = {};
  for (const title of workload) jobsPerModel[title] = (jobsPerModel[title] ?? 0) + 1;
  // Timing decides which backend frees first, so counts vary a little: alternate, several times.
  const runs: ModelLoadRun[] = [];
  for (let i = 0; i < params.repeats; i++) {
    runs.push(await run(context, params, workload, true), await run(context, params, workload, false));
  }
  return { jobs: workload.length, jobsPerModel, runs };
}
