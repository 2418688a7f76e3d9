import type { GenerationParams } from '../../src/generation/request.js';
import type { Job } from '../../src/jobs/types.js';

/**
 * A succeeded txt2img job on one WebUI, for tests of what is rendered and delivered; `overrides` and
 * `params` replace its fields (its result is unset unless given).
 */
export function sampleJob(overrides: Partial<Job> = {}, params: Partial<GenerationParams> = {}): Job {
  return {
    id: 'job42',
    kind: 'txt2img',
    state: 'succeeded',
    userId: '1300000000000000100',
    guildId: '1300000000000000001',
    channelId: '1300000000000000002',
    applicationId: '1300000000000000003',
    interactionToken: 'token',
    tokenExpiresAt: 0,
    backend: 'http://127.0.0.1:7860',
    attempts: 1,
    error: null,
    result: null,
    parentId: null,
    messageId: null,
    createdAt: 0,
    startedAt: 0,
    finishedAt: 0,
    ...overrides,
    params: {
      prompt: 'a red fox',
      negativePrompt: '',
      seed: -1,
      steps: 20,
      cfgScale: 7,
      width: 512,
      height: 512,
      count: 1,
      sampler: 'Euler a',
      scheduler: undefined,
      model: 'v1-5-pruned-emaonly.safetensors [6ce0161689]',
      ...params,
    },
  };
}
