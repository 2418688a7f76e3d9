import { describe, expect, it } from 'vitest';
import type { GenerationParams } from '../../src/generation/request.js';
import { toGenerateRequest } from '../../src/jobs/attempt.js';

const PARAMS: GenerationParams = {
  prompt: 'a lighthouse',
  negativePrompt: '',
  seed: -1,
  steps: 20,
  cfgScale: 7,
  width: 512,
  height: 512,
  count: 1,
  sampler: 'DPM++ 2M',
  scheduler: 'Karras',
  model: undefined,
};

describe('toGenerateRequest', () => {
  it('leaves -1 to servers whose own random seed can be trusted', () => {
    expect(toGenerateRequest('txt2img', PARAMS, false).seed).toBe(-1);
  });

  it('draws seeds within a signed 32-bit int when the server’s own seed cannot be trusted', () => {
    // KoboldCpp wraps a larger seed into a negative one, which a member could not use again.
    const seeds = Array.from({ length: 2000 }, () => toGenerateRequest('txt2img', PARAMS, true).seed);
    expect(seeds.every((seed) => Number.isInteger(seed) && seed >= 0 && seed <= 2_147_483_647)).toBe(true);
    expect(new Set(seeds).size).toBeGreaterThan(1990);
  });

  it('keeps a seed the member gave, and draws a subseed of -1 itself', () => {
    const request = toGenerateRequest(
      'txt2img',
      { ...PARAMS, seed: 42, subseed: -1, subseedStrength: 0.3 },
      true,
    );
    expect(request.seed).toBe(42);
    expect(request.subseed).toBeGreaterThanOrEqual(0);
  });
});
