import { describe, expect, it } from 'vitest';
import { encodeCustomId, parseCustomId } from '../../src/discord/intake/custom-id.js';
import {
  escapeMarkdown,
  renderProgressBar,
  renderQueued,
  renderResult,
  renderRunning,
  truncate,
} from '../../src/discord/views/render.js';
import type { Job, JobResult } from '../../src/jobs/types.js';
import { sampleJob } from '../support/sample-job.js';

const job: Job = sampleJob(
  { id: 'abc123' },
  { prompt: 'a *bold* cat', sampler: 'DPM++ 2M', scheduler: 'Karras' },
);

const result: JobResult = {
  seeds: [42],
  model: 'v1-5-pruned-emaonly',
  modelHash: '6ce0161689',
  sampler: 'DPM++ 2M',
  infotexts: [],
  durationMs: 1234,
  backend: 'http://127.0.0.1:7860',
};

describe('renderResult', () => {
  it('attaches the bytes unchanged, named after the seed, and shows the model used', () => {
    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 1, 2, 3]);
    const view = renderResult(job, result, [png]);
    expect(view.files).toEqual([{ name: '42.png', data: png }]);
    expect(view.content).toBe('');
    expect(view.embeds[0]?.image?.url).toBe('attachment://42.png');
    expect(view.embeds[0]?.fields?.find((field) => field.name === 'Model')?.value).toBe(
      'v1-5-pruned-emaonly [6ce0161689]',
    );
  });

  it('sends a batch as its grid and says the grid is a preview with the originals behind the Image buttons', () => {
    const grid = Buffer.from([0xff, 0xd8, 0xff, 1]);
    const images = [Buffer.alloc(1), Buffer.alloc(2), Buffer.alloc(3)];
    const view = renderResult(job, { ...result, seeds: [1, 2, 3] }, images, grid);
    expect(view.files).toEqual([{ name: 'grid.jpg', data: grid }]);
    expect(view.embeds[0]?.image?.url).toBe('attachment://grid.jpg');
    expect(view.embeds[0]?.description).toContain(
      'This grid is a preview. The Image 1–3 buttons send each original at full size.',
    );
    expect(renderResult(job, result, [Buffer.alloc(1)]).embeds[0]?.description).not.toContain('preview');
  });

  it('says so when the WebUI used another model than the one asked for', () => {
    const view = renderResult(job, { ...result, model: 'chilloutmix-Ni', modelHash: '7234b76e42' }, [
      Buffer.alloc(1),
    ]);
    expect(view.content).toContain(
      'You asked for **v1-5-pruned-emaonly.safetensors [6ce0161689]**, but the server used **chilloutmix-Ni**',
    );
  });

  it('keeps every embed inside Discord limits for a huge prompt', () => {
    const long = {
      ...job,
      params: { ...job.params, prompt: 'word '.repeat(400), negativePrompt: 'no '.repeat(500) },
    };
    const view = renderResult(long, result, [Buffer.alloc(1)]);
    const embed = view.embeds[0];
    expect(embed?.title?.length ?? 0).toBeLessThanOrEqual(256);
    expect(embed?.description?.length ?? 0).toBeLessThanOrEqual(4096);
    for (const field of embed?.fields ?? []) expect(field.value.length).toBeLessThanOrEqual(1024);
    const total = JSON.stringify(embed).length;
    expect(total).toBeLessThan(6000);
  });
});

describe('renderQueued and renderRunning', () => {
  it('shows the place in line with a cancel button', () => {
    const view = renderQueued(job, 3, 7);
    expect(view.embeds[0]?.description).toContain('position 3 of 7');
    expect(JSON.stringify(view.components)).toContain('cancel:abc123');
  });

  it('tells a restarted job and a retried job apart', () => {
    expect(renderQueued(job, 1, 1, 'restarted').embeds[0]?.description).toContain('restarted');
    expect(renderQueued(job, 1, 1, 'retrying').embeds[0]?.description).toContain(
      'retrying on another server',
    );
  });

  it('shows step, percent and ETA, and the live preview as an attachment', () => {
    const view = renderRunning(job, {
      state: 'running',
      fraction: 0.5,
      etaSeconds: 3.4,
      step: 10,
      steps: 20,
      preview: Buffer.from('png'),
    });
    expect(view.embeds[0]?.description).toMatch(/50%[\s\S]*Step 10\/20 · about 3s left/);
    expect(view.files[0]?.name).toBe('preview.png');
  });
});

describe('small renderers', () => {
  it.each([
    [0, '░'.repeat(20)],
    [0.5, `${'█'.repeat(10)}${'░'.repeat(10)}`],
    [1.7, '█'.repeat(20)],
    [Number.NaN, '░'.repeat(20)],
  ])('draws a progress bar for %f', (fraction, bar) => {
    expect(renderProgressBar(fraction)).toBe(bar);
  });

  it('truncates at a word boundary with an ellipsis', () => {
    expect(truncate('hello wonderful world', 16)).toBe('hello wonderful…');
    expect(truncate('short', 16)).toBe('short');
  });

  it('escapes Markdown so a prompt renders as typed', () => {
    expect(escapeMarkdown('a *b* _c_ `d`')).toBe('a \\*b\\* \\_c\\_ \\`d\\`');
  });
});

describe('custom ids', () => {
  it('round-trips and stays within 100 characters', () => {
    const id = encodeCustomId('cancel', 'abc123');
    expect(parseCustomId(id)).toEqual({ action: 'cancel', args: ['abc123'] });
    expect(() => encodeCustomId('models', 'x'.repeat(100))).toThrow(/100/);
  });

  it.each(['', 'nope:1', 'x'.repeat(101)])('rejects %j', (raw) => {
    expect(parseCustomId(raw)).toBeUndefined();
  });
});
