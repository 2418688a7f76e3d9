import { describe, expect, it } from 'vitest';
import {
  decodeBase64Image,
  generationInfoSchema,
  progressSchema,
  setOptionsResponseSchema,
} from '../../src/sd/schemas.js';

describe('decodeBase64Image', () => {
  it.each([
    ['bare base64', 'aGVsbG8=', 'hello'],
    ['a data URI', 'data:image/png;base64,aGVsbG8=', 'hello'],
    ['no padding needed', 'aGVsbG8h', 'hello!'],
  ])('decodes %s', (_case, text, expected) => {
    expect(decodeBase64Image(text)?.toString('utf8')).toBe(expected);
  });

  it.each([
    ['empty text', ''],
    ['characters outside the alphabet', '@@not base64@@'],
    ['a length that is not a multiple of 4', 'aGVsbG8'],
    ['embedded whitespace', 'aGVs bG8='],
    ['one bad character in a valid length', 'aGVs!G8='],
    ['padding in the middle', 'aG==bG8='],
    ['base64url characters', 'aGV-bG8_'],
    ['an HTML error page', '<html><body>502 Bad Gateway</body></html>'],
  ])('returns null for %s', (_case, text) => {
    expect(decodeBase64Image(text)).toBeNull();
  });
});

describe('generationInfoSchema', () => {
  it('defaults the keys SD.Next omits when info comes from SD.Next', () => {
    const info = generationInfoSchema.parse({
      prompt: 'cat',
      seed: 7,
      all_seeds: [7],
      width: 1024,
      height: 1024,
      sampler_name: 'UniPC',
      sd_model_hash: 'abc',
      cfg_end: 1,
    });

    expect(info).toMatchObject({
      negative_prompt: '',
      subseed: null,
      sd_model_name: null,
      version: null,
      infotexts: [],
      index_of_first_image: 0,
    });
  });

  it('rejects info when the seed is missing', () => {
    expect(generationInfoSchema.safeParse({ width: 1, height: 1 }).success).toBe(false);
  });
});

describe('setOptionsResponseSchema', () => {
  it.each([
    ['A1111 and Forge', null],
    ['SD.Next', { updated: [{ sd_model_checkpoint: true }] }],
  ])('accepts the answer of %s', (_case, body) => {
    expect(setOptionsResponseSchema.safeParse(body).success).toBe(true);
  });
});

describe('progressSchema', () => {
  it('reads interrupted and the steps from state when A1111 answers', () => {
    const progress = progressSchema.parse({
      progress: 0.5,
      eta_relative: 3.2,
      state: {
        interrupted: true,
        sampling_step: 10,
        sampling_steps: 20,
        job_count: 1,
        job: 'scripts_txt2img',
      },
      current_image: null,
      textinfo: null,
    });

    expect(progress.state).toMatchObject({
      interrupted: true,
      sampling_step: 10,
      sampling_steps: 20,
      job_count: 1,
    });
  });
});
