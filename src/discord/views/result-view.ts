import type { APIEmbed } from 'discord.js';
import type { GenerationParams } from '../../generation/request.js';
import { DEFAULT_LOCALE, type Locale } from '../../i18n/locales.js';
import { t } from '../../i18n/translate.js';
import type { Job, JobResult } from '../../jobs/types.js';
import { GRID_FILE_NAME, renderOriginLine, renderResultButtons } from '../results/result-buttons.js';
import { COLOR_DONE, type MessageView } from './message-view.js';
import { escapeMarkdown, LIMITS, oneDecimal, truncate } from './view-text.js';

export function imageFileName(seed: number, index: number, count: number): string {
  return count > 1 ? `${seed}-${index + 1}.png` : `${seed}.png`;
}

function modelMismatch(asked: string | undefined, result: JobResult, locale: Locale): string | undefined {
  if (asked === undefined || result.model === null) return undefined;
  const stem = asked.replace(/\s*\[[0-9a-f]+\]$/i, '').replace(/\.(safetensors|ckpt|pt|bin|gguf)$/i, '');
  const base = stem.split(/[\\/]/).pop() ?? stem;
  const hashMatch = result.modelHash !== null && asked.includes(`[${result.modelHash}]`);
  if (hashMatch || base === result.model) return undefined;
  return t(locale, 'delivery.result.modelMismatch', {
    asked: escapeMarkdown(asked),
    used: escapeMarkdown(result.model),
  });
}

const NEGATIVE_IGNORED = /^(.+) models ignore the negative prompt\.$/;

/**
 * A note stored with the job (in English, see generation/family-defaults.ts) in the locale: the ones we
 * know by their shape get their key; any other stays as written.
 */
function renderNote(note: string, locale: Locale): string {
  const ignored = NEGATIVE_IGNORED.exec(note);
  if (ignored?.[1] !== undefined) return t(locale, 'delivery.result.negativeIgnored', { family: ignored[1] });
  return note;
}

/** Under a batch's grid: what it is, and where the originals are. */
export function renderGridNote(count: number, locale: Locale = DEFAULT_LOCALE): string {
  return t(locale, 'delivery.result.gridNote', { count });
}

type EmbedFields = NonNullable<APIEmbed['fields']>;

/** The reply's files: each image named by its seed, or a batch as one composite (see grid.ts). */
function resultFiles(
  seeds: readonly number[],
  images: Buffer[],
  grid: Buffer | undefined,
): MessageView['files'] {
  // A batch shows as one composite; its originals stay one button away.
  if (grid !== undefined) return [{ name: GRID_FILE_NAME, data: grid }];
  return images.map((data, index) => ({
    name: imageFileName(seeds[index] ?? seeds[0] ?? 0, index, images.length),
    data,
  }));
}

/** The result embed's fields: the negative prompt where there is one, then what was really used. */
function resultFields(params: GenerationParams, result: JobResult, locale: Locale): EmbedFields {
  const unknown = t(locale, 'delivery.result.unknown');
  const seeds = result.seeds;
  const fields: EmbedFields = [
    {
      name: t(locale, 'delivery.result.seedField'),
      value: seeds.length > 1 ? seeds.join(', ') : String(seeds[0] ?? unknown),
      inline: true,
    },
    {
      name: t(locale, 'delivery.result.modelField'),
      value: truncate(
        result.model === null
          ? unknown
          : `${escapeMarkdown(result.model)}${result.modelHash ? ` [${result.modelHash}]` : ''}`,
        1024,
      ),
      inline: true,
    },
    {
      name: t(locale, 'delivery.result.samplerField'),
      value: `${escapeMarkdown(params.sampler)}${params.scheduler !== undefined ? ` · ${escapeMarkdown(params.scheduler)}` : ''}`,
      inline: true,
    },
    { name: t(locale, 'delivery.result.stepsField'), value: String(params.steps), inline: true },
    { name: t(locale, 'delivery.result.cfgField'), value: String(params.cfgScale), inline: true },
    { name: t(locale, 'delivery.result.sizeField'), value: renderSize(params, result, locale), inline: true },
    ...renderFeatureFields(params, locale),
  ];
  if (params.negativePrompt !== '') {
    fields.unshift({
      name: t(locale, 'delivery.result.negativePromptField'),
      value: truncate(escapeMarkdown(params.negativePrompt), 1024),
      inline: false,
    });
  }
  return fields;
}

/** The footer: the time it took and the job's id (and the job it came from). */
function resultFooter(job: Job, result: JobResult, locale: Locale): string {
  const seconds = oneDecimal(result.durationMs / 1000, locale);
  return job.parentId === null
    ? t(locale, 'delivery.result.footer', { seconds, jobId: job.id })
    : t(locale, 'delivery.result.footerFromJob', { seconds, jobId: job.id, parentId: job.parentId });
}

/** The text above the embed: a model other than the one asked for, and the job's notes. */
function resultContent(params: GenerationParams, result: JobResult, locale: Locale): string {
  const mismatch = modelMismatch(params.model, result, locale);
  const notes = (params.notes ?? []).filter((note) => !note.startsWith('Style: '));
  return truncate(
    [mismatch, ...notes.map((note) => `ℹ️ ${escapeMarkdown(renderNote(note, locale))}`)]
      .filter((line) => line !== undefined)
      .join('\n'),
    LIMITS.content,
  );
}

/** The finished reply: the images, byte for byte, and an embed with what was really used. */
export function renderResult(
  job: Job,
  result: JobResult,
  images: Buffer[],
  grid?: Buffer,
  options: { upscale?: boolean } = {},
  locale: Locale = DEFAULT_LOCALE,
): MessageView {
  const params = job.params;
  const files = resultFiles(result.seeds, images, grid);
  const embed: APIEmbed = {
    color: COLOR_DONE,
    title: truncate(params.prompt.replace(/\s+/g, ' '), LIMITS.embedTitle),
    description: [
      renderOriginLine(job, locale),
      truncate(escapeMarkdown(params.prompt), 1500),
      grid === undefined ? '' : renderGridNote(images.length, locale),
    ]
      .filter((line) => line !== '')
      .join('\n'),
    fields: resultFields(params, result, locale),
    footer: { text: resultFooter(job, result, locale) },
  };
  if (files[0] !== undefined) embed.image = { url: `attachment://${files[0].name}` };
  return {
    content: resultContent(params, result, locale),
    embeds: [embed],
    components: renderResultButtons(job, images.length, options, locale),
    files,
  };
}

/** The size, and with hires fix the size it was enlarged to: `512×512 → 1024×1024 (hires ×2)`. */
export function renderSize(
  params: GenerationParams,
  /** The size the images really came out at, where the reply read it from them. */
  actual?: { width?: number | undefined; height?: number | undefined },
  locale: Locale = DEFAULT_LOCALE,
): string {
  const width = actual?.width;
  const height = actual?.height;
  const hires = params.hires;
  if (hires === undefined) return `${width ?? params.width}×${height ?? params.height}`;
  return t(locale, 'delivery.result.hiresSize', {
    from: `${params.width}×${params.height}`,
    to: `${width ?? hires.width}×${height ?? hires.height}`,
    scale: hires.scale,
  });
}

/** LoRAs, style, hires upscaler, ADetailer and which image is which variant, where used. */
export function renderFeatureFields(params: GenerationParams, locale: Locale = DEFAULT_LOCALE): EmbedFields {
  const fields: EmbedFields = [];
  const loras = params.loras ?? [];
  if (loras.length > 0) {
    fields.push({
      name: t(locale, 'delivery.result.lorasField'),
      value: truncate(loras.map((lora) => `${escapeMarkdown(lora.name)}:${lora.weight}`).join(', '), 1024),
      inline: true,
    });
  }
  const style =
    params.styles?.[0] ?? params.notes?.find((note) => note.startsWith('Style: '))?.slice('Style: '.length);
  if (style !== undefined)
    fields.push({
      name: t(locale, 'delivery.result.styleField'),
      value: truncate(escapeMarkdown(style), 1024),
      inline: true,
    });
  if (params.hires !== undefined) {
    fields.push({
      name: t(locale, 'delivery.result.hiresField'),
      value: truncate(
        [
          `×${new Intl.NumberFormat(locale, { useGrouping: false }).format(params.hires.scale)}`,
          params.hires.upscaler === undefined ? undefined : escapeMarkdown(params.hires.upscaler),
          t(locale, 'delivery.result.hiresDenoise', { denoise: params.hires.denoise }),
          params.hires.steps === undefined
            ? undefined
            : t(locale, 'delivery.result.hiresSteps', { steps: params.hires.steps }),
        ]
          .filter((part) => part !== undefined)
          .join(' · '),
        1024,
      ),
      inline: true,
    });
  }
  if (params.adetailer === true) {
    fields.push({
      name: t(locale, 'delivery.result.adetailerField'),
      value: t(locale, 'delivery.result.adetailerFaces'),
      inline: true,
    });
  }
  const variants = params.variants ?? [];
  if (variants.length > 1) {
    const per = Math.max(1, params.count);
    const lines = variants.map((variant, index) => {
      const first = index * per + 1;
      const label = escapeMarkdown(variant.label);
      return per === 1
        ? t(locale, 'delivery.result.variantImage', { image: first, label })
        : t(locale, 'delivery.result.variantImages', { first, last: first + per - 1, label });
    });
    fields.push({
      name: t(locale, 'delivery.result.variantsField'),
      value: truncate(lines.join('\n'), 1024),
      inline: false,
    });
  }
  return fields;
}
