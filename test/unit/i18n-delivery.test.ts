import type { APIButtonComponent } from 'discord.js';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { renderOriginLine, renderResultButtons } from '../../src/discord/results/result-buttons.js';
import { renderJobInfo } from '../../src/discord/results/result-info.js';
import { fitAttachments } from '../../src/discord/uploads/upload-preflight.js';
import { renderLorasPage } from '../../src/discord/views/loras-view.js';
import { renderModelsPage } from '../../src/discord/views/models-view.js';
import {
  type MessageView,
  renderCancelled,
  renderFailed,
  renderQueued,
  renderResult,
  renderRunning,
} from '../../src/discord/views/render.js';
import { toUserMessage } from '../../src/discord/views/user-message.js';
import { SdOutOfMemoryError, SdUnsupportedError } from '../../src/engines/errors.js';
import type { Locale } from '../../src/i18n/locales.js';
import type { Job, JobResult } from '../../src/jobs/types.js';
import { toHttpError } from '../../src/sd/error-mapping.js';
import { sampleJob } from '../support/sample-job.js';

const job: Job = sampleJob({}, { negativePrompt: 'blurry' });

const result: JobResult = {
  seeds: [4242],
  model: 'chilloutmix-Ni',
  modelHash: '7234b76e42',
  sampler: 'Euler a',
  infotexts: [],
  durationMs: 2500,
  backend: 'http://127.0.0.1:7860',
};

const textOf = (view: MessageView) =>
  [
    view.content,
    ...view.embeds.flatMap((embed) => [
      embed.title ?? '',
      embed.description ?? '',
      embed.footer?.text ?? '',
      ...(embed.fields ?? []).flatMap((field) => [field.name, field.value]),
    ]),
  ].join('\n');

const labelsOf = (rows: { components: unknown[] }[]) =>
  rows
    .flatMap((row) => row.components as APIButtonComponent[])
    .map((button) => ('label' in button ? button.label : ''));

const NON_ENGLISH: readonly Locale[] = ['de', 'ja'];

describe('delivery views in a locale', () => {
  it.each(NON_ENGLISH)('puts the place in line in %s, keeping the numbers', (locale) => {
    const english = textOf(renderQueued(job, 3, 7));
    const view = renderQueued(job, 3, 7, undefined, locale);
    const text = textOf(view);
    expect(english).toContain('**Queued** — position 3 of 7');
    expect(text).not.toContain('Queued');
    expect(text).not.toContain('position');
    expect(text).toMatch(/3/);
    expect(text).toMatch(/7/);
    expect(text).toContain('a red fox');
    expect(labelsOf(view.components)).not.toContain('Cancel');
  });

  it.each(NON_ENGLISH)('says the bot restarted in %s when the job is back in line', (locale) => {
    const text = textOf(renderQueued(job, 1, 1, 'restarted', locale));
    expect(text).not.toContain('The bot restarted');
    expect(text.length).toBeGreaterThan(20);
  });

  it.each(NON_ENGLISH)('shows progress in %s with the step, the pass and the time left', (locale) => {
    const view = renderRunning(
      job,
      { state: 'running', fraction: 0.5, step: 10, steps: 20, etaSeconds: 12, stage: { index: 1, count: 2 } },
      undefined,
      locale,
    );
    const text = textOf(view);
    expect(text).not.toMatch(/Generating|Step|Pass|left/);
    expect(text).toContain('10/20');
    expect(text).toContain('12');
    expect(text).toContain('50%');
  });

  it.each(NON_ENGLISH)('shows the time so far in %s where the server tells nothing', (locale) => {
    const text = textOf(renderRunning(job, { state: 'running' }, 42_000, locale));
    expect(text).not.toContain('so far');
    expect(text).toContain('42');
  });

  it.each(NON_ENGLISH)('shows the server’s own line in %s', (locale) => {
    const text = textOf(renderRunning(job, { state: 'queued', position: 4 }, undefined, locale));
    expect(text).not.toContain('Waiting for the image server');
    expect(text).toContain('4');
  });

  it('renders the result in German: field names, footer, mismatch and decimal comma', () => {
    const view = renderResult(job, result, [Buffer.alloc(1)], undefined, {}, 'de');
    const names = view.embeds[0]?.fields?.map((field) => field.name) ?? [];
    expect(names).toEqual(expect.arrayContaining(['Modell', 'Schritte', 'Größe', 'Negativer Prompt']));
    expect(names).not.toContain('Model');
    expect(view.embeds[0]?.footer?.text).toBe('Erstellt in 2,5 s · Auftrag job42');
    expect(view.content).toContain('**chilloutmix-Ni**');
    expect(view.content).not.toContain('You asked for');
  });

  it('renders the result in Japanese with the seed and the job id kept', () => {
    const view = renderResult(job, result, [Buffer.alloc(1)], undefined, {}, 'ja');
    const text = textOf(view);
    expect(text).toContain('4242');
    expect(text).toContain('job42');
    expect(text).not.toMatch(/Generated in|Negative prompt|Sampler/);
    expect(view.embeds[0]?.fields?.map((field) => field.name)).toContain('モデル');
  });

  it('keeps the English result as before when no locale is given', () => {
    const view = renderResult(job, result, [Buffer.alloc(1)]);
    expect(view.embeds[0]?.footer?.text).toBe('Generated in 2.5s · job job42');
    expect(labelsOf(view.components)).toEqual(['Reroll', 'Vary', 'Upscale', 'Remix', 'Info', 'Delete']);
  });

  it('writes the hires fix, the variants and the Flux note in German', () => {
    const flux: Job = {
      ...job,
      params: {
        ...job.params,
        count: 2,
        hires: { scale: 1.5, width: 768, height: 768, upscaler: 'Latent', denoise: 0.45, steps: 10 },
        variants: [
          { prompt: 'a red fox', label: 'red' },
          { prompt: 'a blue fox', label: 'blue' },
        ],
        notes: ['Flux models ignore the negative prompt.'],
      },
    };
    const view = renderResult(flux, result, [Buffer.alloc(1)], undefined, {}, 'de');
    const fields = view.embeds[0]?.fields ?? [];
    expect(fields.find((field) => field.name === 'Größe')?.value).toBe('512×512 → 768×768 (Hires ×1,5)');
    expect(fields.find((field) => field.name === 'Hires fix')?.value).toBe(
      '×1,5 · Latent · Denoising 0,45 · 10 Schritte',
    );
    expect(fields.find((field) => field.name === 'Varianten')?.value).toBe(
      'Bilder 1–2: red\nBilder 3–4: blue',
    );
    expect(view.content.split('\n')).toContain('ℹ️ Flux-Modelle beachten den negativen Prompt nicht.');
    expect(renderResult(flux, result, [Buffer.alloc(1)]).content.split('\n')).toContain(
      'ℹ️ Flux models ignore the negative prompt.',
    );
  });

  it.each(NON_ENGLISH)('labels the result buttons in %s, and a batch keeps its numbers', (locale) => {
    const single = labelsOf(renderResultButtons(job, 1, {}, locale));
    expect(single).toHaveLength(6);
    // German keeps the loanword "Remix".
    for (const english of ['Reroll', 'Vary', 'Upscale', 'Delete']) expect(single).not.toContain(english);
    const batch = labelsOf(renderResultButtons(job, 3, {}, locale));
    expect(batch).toEqual(expect.arrayContaining(['U1', 'V3']));
    expect(batch.filter((label) => label.includes('3'))).toHaveLength(3);
    expect(batch.some((label) => label.startsWith('Image'))).toBe(false);
  });

  it.each(NON_ENGLISH)('says cancelled and failed in %s', (locale) => {
    expect(textOf(renderCancelled(job, locale))).not.toContain('Cancelled');
    const oom = new SdOutOfMemoryError('CUDA out of memory', { backend: 'fake', detail: 'x' });
    const failed = textOf(renderFailed(job, toUserMessage(oom, locale)));
    expect(failed).not.toContain('ran out of GPU memory');
    expect(failed).toContain('GPU');
  });

  it('names the origin of a button’s result in German, keeping the link and the image number', () => {
    const child = {
      parentId: 'p1',
      params: {
        ...job.params,
        origin: { action: 'vary' as const, index: 1, messageUrl: 'https://discord.com/channels/1/2/3' },
      },
    };
    expect(renderOriginLine(child)).toBe(
      'Variation of image 2 from [this result](https://discord.com/channels/1/2/3)',
    );
    expect(renderOriginLine(child, 'de')).toBe(
      'Variante von Bild 2 aus [diesem Ergebnis](https://discord.com/channels/1/2/3)',
    );
  });

  it('renders the Info embed in Japanese, with the state in words and the mention intact', () => {
    const { embeds } = renderJobInfo({ ...job, result }, 'ja');
    const names = embeds[0]?.fields?.map((field) => field.name) ?? [];
    expect(embeds[0]?.title).toBe('パラメーター');
    expect(names).toContain('使われたモデル');
    const jobField = embeds[0]?.fields?.find((field) => field.name === 'ジョブ');
    expect(jobField?.value).toBe('job42 · 完了');
    expect(embeds[0]?.fields?.some((field) => field.value.includes(`<@${job.userId}>`))).toBe(true);
  });

  it('turns /models and /loras pages in the member’s language', () => {
    const models = renderModelsPage(
      Array.from({ length: 12 }, (_, index) => ({
        title: `m${index}.safetensors`,
        model_name: `m${index}`,
        hash: null,
        sha256: null,
        filename: `m${index}.safetensors`,
      })),
      0,
      [{ label: 'a', loaded: null }],
      undefined,
      '1',
      () => false,
      undefined,
      'de',
    );
    expect(labelsOf(models.components)).toEqual(['Zurück', 'Weiter']);
    expect(models.embeds[0]?.footer?.text).toBe('Seite 1 von 2');
    expect(textOf(models)).toContain('nicht erreichbar');
    const loras = renderLorasPage('loras', [], 0, 1, '1', 'ja');
    expect(textOf(loras)).toContain('LoRAが見つかりません。');
  });
});

describe('toUserMessage in a locale', () => {
  it.each([
    ['upscale images', 'Der Bildserver kann keine Bilder hochskalieren.'],
    ['switch models', 'Der Bildserver kann das Modell nicht wechseln.'],
    ['rescan its model folder', 'Der Bildserver kann seinen Modellordner nicht neu einlesen.'],
  ])('gives the missing capability “%s” its own German sentence', (capability, expected) => {
    const error = new SdUnsupportedError(`fake cannot ${capability}`, { backend: 'fake', capability });
    expect(toUserMessage(error, 'de')).toContain(expected);
    expect(toUserMessage(error)).toBe(
      `The image server cannot ${capability}. Ask the bot operator if another server can.`,
    );
  });

  it('names a missing route as the error mapping describes it, in Japanese', () => {
    const error = toHttpError(404, '', { backend: 'http://x', method: 'GET', path: '/sdapi/v1/unknown?x=1' });
    expect(toUserMessage(error)).toBe(
      'The image server cannot answer /sdapi/v1/unknown. Ask the bot operator if another server can.',
    );
    expect(toUserMessage(error, 'ja')).toContain('/sdapi/v1/unknown');
    expect(toUserMessage(error, 'ja')).not.toContain('cannot');
  });

  it('says something went wrong in Japanese for an unknown error', () => {
    expect(toUserMessage(new Error('boom'), 'ja')).not.toContain('Something went wrong');
  });
});

describe('fitAttachments in a locale', () => {
  it('writes the re-encoding note in German with the sizes as German writes them', async () => {
    const noisy = await sharp(
      Buffer.from(Array.from({ length: 256 * 256 * 3 }, (_, i) => (i * 7919) % 251)),
      {
        raw: { width: 256, height: 256, channels: 3 },
      },
    )
      .png()
      .toBuffer();
    const limit = Math.floor(noisy.length * 0.9);
    const fitted = await fitAttachments([{ name: '1.png', data: noisy }], limit, 'de');
    expect(fitted.notes).toHaveLength(1);
    expect(fitted.notes[0]).toMatch(/^Bild 1 war .* groß/);
    expect(fitted.notes[0]).toContain('Discords Grenze');
    expect(fitted.notes[0]).not.toContain('over Discord');
  });
});
