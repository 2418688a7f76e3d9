import {
  type APIActionRowComponent,
  type APIButtonComponent,
  type APIComponentInMessageActionRow,
  type APIEmbed,
  ButtonStyle,
  ComponentType,
} from 'discord.js';
import type { EngineProgress } from '../../engines/types.js';
import type { GenerationParams } from '../../generation/request.js';
import { DEFAULT_LOCALE, type Locale } from '../../i18n/locales.js';
import { t } from '../../i18n/translate.js';
import type { Job, JobResult } from '../../jobs/types.js';
import { encodeCustomId } from '../intake/custom-id.js';
import { GRID_FILE_NAME, renderOriginLine, renderResultButtons } from '../results/result-buttons.js';

/** A message as plain data: what we send to Discord, whichever route carries it. */
export interface MessageView {
  content: string;
  embeds: APIEmbed[];
  components: APIActionRowComponent<APIComponentInMessageActionRow>[];
  files: { name: string; data: Buffer; description?: string }[];
}

const COLOR_WORKING = 0x5865f2;
const COLOR_DONE = 0x57f287;
const COLOR_FAILED = 0xed4245;
const COLOR_MUTED = 0x99aab5;

/** Discord limits that our renderers respect. */
export const LIMITS = {
  content: 2000,
  embedTitle: 256,
  embedDescription: 4096,
  fieldValue: 1024,
  footer: 2048,
  embedsTotal: 6000,
} as const;

/** Cuts text to `max` characters at a word boundary where one is near, with an ellipsis. */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  const cut = text.slice(0, max - 1);
  const space = cut.lastIndexOf(' ');
  return `${space > max * 0.8 ? cut.slice(0, space) : cut}…`;
}

/** Escapes Markdown so an echoed prompt renders as typed. Mentions are disarmed by allowed_mentions. */
export function escapeMarkdown(text: string): string {
  return text.replace(/([\\*_`~|])/g, '\\$1').replace(/^([>#-])/gm, '\\$1');
}

/** A number with one decimal, as the locale writes it: `2.0`, `2,0`. */
export function oneDecimal(value: number, locale: Locale): string {
  return new Intl.NumberFormat(locale, {
    minimumFractionDigits: 1,
    maximumFractionDigits: 1,
    useGrouping: false,
  }).format(value);
}

function cancelRow(jobId: string, locale: Locale): APIActionRowComponent<APIComponentInMessageActionRow> {
  const button: APIButtonComponent = {
    type: ComponentType.Button,
    style: ButtonStyle.Secondary,
    label: t(locale, 'delivery.cancelButton'),
    custom_id: encodeCustomId('cancel', jobId),
  };
  return { type: ComponentType.ActionRow, components: [button] };
}

function promptLine(params: GenerationParams): string {
  return truncate(escapeMarkdown(params.prompt), 300);
}

export function renderQueued(
  job: Job,
  position: number,
  total: number,
  note?: 'restarted' | 'retrying',
  locale: Locale = DEFAULT_LOCALE,
): MessageView {
  const lead =
    note === 'restarted'
      ? `${t(locale, 'delivery.queued.restarted')}\n`
      : note === 'retrying'
        ? `${t(locale, 'delivery.queued.retrying')}\n`
        : '';
  return {
    content: '',
    embeds: [
      {
        color: COLOR_MUTED,
        description: `${lead}${t(locale, 'delivery.queued.position', { position, total })}\n${promptLine(job.params)}`,
      },
    ],
    components: [cancelRow(job.id, locale)],
    files: [],
  };
}

const BAR_WIDTH = 20;

export function renderProgressBar(fraction: number): string {
  const clamped = Math.max(0, Math.min(1, Number.isFinite(fraction) ? fraction : 0));
  const filled = Math.round(clamped * BAR_WIDTH);
  return `${'█'.repeat(filled)}${'░'.repeat(BAR_WIDTH - filled)}`;
}

/** A preview's file name by its bytes: ComfyUI sends JPEG, the WebUI PNG. */
function previewName(bytes: Buffer): string {
  return bytes[0] === 0xff && bytes[1] === 0xd8 ? 'preview.jpg' : 'preview.png';
}

/**
 * The job while the server has it: a bar, the step and the time left where the server tells them;
 * its place in the server's own line while it waits there; only the time so far where the server
 * gives no progress at all.
 */
export function renderRunning(
  job: Job,
  progress: EngineProgress | null,
  elapsedMs?: number,
  locale: Locale = DEFAULT_LOCALE,
): MessageView {
  const lines = [
    t(locale, job.backend === null ? 'delivery.running.heading' : 'delivery.running.headingAssigned'),
  ];
  const files: MessageView['files'] = [];
  const embed: APIEmbed = { color: COLOR_WORKING };
  if (progress === null) {
    lines.push(t(locale, 'delivery.running.starting'));
  } else if (progress.state === 'queued') {
    lines.push(
      progress.position === undefined
        ? t(locale, 'delivery.running.serverQueue')
        : t(locale, 'delivery.running.serverQueuePlace', { position: progress.position }),
    );
  } else if (progress.fraction !== undefined && (progress.steps ?? 1) > 0) {
    const percent = Math.round(progress.fraction * 100);
    lines.push(`\`${renderProgressBar(progress.fraction)}\` ${percent}%`);
    const details: string[] = [];
    if (progress.stage !== undefined && progress.stage.count > 1) {
      details.push(
        t(locale, 'delivery.running.pass', { index: progress.stage.index, count: progress.stage.count }),
      );
    }
    if (progress.step !== undefined && progress.steps !== undefined)
      details.push(t(locale, 'delivery.running.step', { step: progress.step, steps: progress.steps }));
    if (progress.etaSeconds !== undefined)
      details.push(
        t(locale, 'delivery.running.eta', { seconds: Math.max(0, Math.round(progress.etaSeconds)) }),
      );
    if (details.length > 0) lines.push(details.join(' · '));
  } else {
    // The server tells nothing while it works: say how long it has been.
    lines.push(
      elapsedMs === undefined
        ? t(locale, 'delivery.running.generating')
        : t(locale, 'delivery.running.elapsed', { seconds: Math.max(0, Math.round(elapsedMs / 1000)) }),
    );
  }
  if (progress?.preview !== undefined) {
    const name = previewName(progress.preview);
    files.push({ name, data: progress.preview });
    embed.thumbnail = { url: `attachment://${name}` };
  }
  lines.push(promptLine(job.params));
  embed.description = lines.join('\n');
  return { content: '', embeds: [embed], components: [cancelRow(job.id, locale)], files };
}

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
 * A note stored with the job (in English, see generation/features.ts) in the locale: the ones we
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
  const unknown = t(locale, 'delivery.result.unknown');
  const seeds = result.seeds;
  // A batch shows as one composite (see grid.ts); its originals stay one button away.
  const files =
    grid === undefined
      ? images.map((data, index) => ({
          name: imageFileName(seeds[index] ?? seeds[0] ?? 0, index, images.length),
          data,
        }))
      : [{ name: GRID_FILE_NAME, data: grid }];
  const fields: NonNullable<APIEmbed['fields']> = [
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
  const mismatch = modelMismatch(params.model, result, locale);
  const seconds = oneDecimal(result.durationMs / 1000, locale);
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
    fields,
    footer: {
      text:
        job.parentId === null
          ? t(locale, 'delivery.result.footer', { seconds, jobId: job.id })
          : t(locale, 'delivery.result.footerFromJob', { seconds, jobId: job.id, parentId: job.parentId }),
    },
  };
  if (files[0] !== undefined) embed.image = { url: `attachment://${files[0].name}` };
  const notes = (params.notes ?? []).filter((note) => !note.startsWith('Style: '));
  return {
    content: truncate(
      [mismatch, ...notes.map((note) => `ℹ️ ${escapeMarkdown(renderNote(note, locale))}`)]
        .filter((line) => line !== undefined)
        .join('\n'),
      LIMITS.content,
    ),
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
export function renderFeatureFields(
  params: GenerationParams,
  locale: Locale = DEFAULT_LOCALE,
): NonNullable<APIEmbed['fields']> {
  const fields: NonNullable<APIEmbed['fields']> = [];
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

export function renderCancelled(job: Job, locale: Locale = DEFAULT_LOCALE): MessageView {
  return {
    content: '',
    embeds: [
      { color: COLOR_MUTED, description: `${t(locale, 'delivery.cancelled')}\n${promptLine(job.params)}` },
    ],
    components: [],
    files: [],
  };
}

/** A failed job; `message` is already in the requester's language (`toUserMessage(error, locale)`). */
export function renderFailed(job: Job, message: string): MessageView {
  return {
    content: '',
    embeds: [{ color: COLOR_FAILED, description: `**${message}**\n${promptLine(job.params)}` }],
    components: [],
    files: [],
  };
}

export function renderNotice(text: string, color = COLOR_FAILED): MessageView {
  return {
    content: '',
    embeds: [{ color, description: truncate(text, LIMITS.embedDescription) }],
    components: [],
    files: [],
  };
}
