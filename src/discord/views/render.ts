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

function cancelRow(jobId: string): APIActionRowComponent<APIComponentInMessageActionRow> {
  const button: APIButtonComponent = {
    type: ComponentType.Button,
    style: ButtonStyle.Secondary,
    label: 'Cancel',
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
): MessageView {
  const lead =
    note === 'restarted'
      ? 'The bot restarted; your job is back in line.\n'
      : note === 'retrying'
        ? 'The image server failed; retrying on another server.\n'
        : '';
  return {
    content: '',
    embeds: [
      {
        color: COLOR_MUTED,
        description: `${lead}**Queued** — position ${position} of ${total}\n${promptLine(job.params)}`,
      },
    ],
    components: [cancelRow(job.id)],
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
export function renderRunning(job: Job, progress: EngineProgress | null, elapsedMs?: number): MessageView {
  const lines = [`**Generating** on ${job.backend === null ? 'the image server' : 'an image server'}`];
  const files: MessageView['files'] = [];
  const embed: APIEmbed = { color: COLOR_WORKING };
  if (progress === null) {
    lines.push('Starting…');
  } else if (progress.state === 'queued') {
    lines.push(
      progress.position === undefined
        ? 'Waiting for the image server to finish other work first…'
        : `Waiting for the image server to finish other work first (place ${progress.position} in its line)…`,
    );
  } else if (progress.fraction !== undefined && (progress.steps ?? 1) > 0) {
    const percent = Math.round(progress.fraction * 100);
    lines.push(`\`${renderProgressBar(progress.fraction)}\` ${percent}%`);
    const details: string[] = [];
    if (progress.stage !== undefined && progress.stage.count > 1) {
      details.push(`Pass ${progress.stage.index} of ${progress.stage.count}`);
    }
    if (progress.step !== undefined && progress.steps !== undefined)
      details.push(`Step ${progress.step}/${progress.steps}`);
    if (progress.etaSeconds !== undefined)
      details.push(`about ${Math.max(0, Math.round(progress.etaSeconds))}s left`);
    if (details.length > 0) lines.push(details.join(' · '));
  } else {
    // The server tells nothing while it works: say how long it has been.
    lines.push(
      elapsedMs === undefined
        ? 'Generating…'
        : `Generating… (${Math.max(0, Math.round(elapsedMs / 1000))}s so far)`,
    );
  }
  if (progress?.preview !== undefined) {
    const name = previewName(progress.preview);
    files.push({ name, data: progress.preview });
    embed.thumbnail = { url: `attachment://${name}` };
  }
  lines.push(promptLine(job.params));
  embed.description = lines.join('\n');
  return { content: '', embeds: [embed], components: [cancelRow(job.id)], files };
}

export function imageFileName(seed: number, index: number, count: number): string {
  return count > 1 ? `${seed}-${index + 1}.png` : `${seed}.png`;
}

function modelMismatch(asked: string | undefined, result: JobResult): string | undefined {
  if (asked === undefined || result.model === null) return undefined;
  const stem = asked.replace(/\s*\[[0-9a-f]+\]$/i, '').replace(/\.(safetensors|ckpt|pt|bin|gguf)$/i, '');
  const base = stem.split(/[\\/]/).pop() ?? stem;
  const hashMatch = result.modelHash !== null && asked.includes(`[${result.modelHash}]`);
  if (hashMatch || base === result.model) return undefined;
  return `⚠️ You asked for **${escapeMarkdown(asked)}**, but the server used **${escapeMarkdown(result.model)}**.`;
}

/** Under a batch's grid: what it is, and where the originals are. */
export function renderGridNote(count: number): string {
  return `*This grid is a preview. The Image 1–${count} buttons send each original at full size.*`;
}

/** The finished reply: the images, byte for byte, and an embed with what was really used. */
export function renderResult(
  job: Job,
  result: JobResult,
  images: Buffer[],
  grid?: Buffer,
  options: { upscale?: boolean } = {},
): MessageView {
  const params = job.params;
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
      name: 'Seed',
      value: seeds.length > 1 ? seeds.join(', ') : String(seeds[0] ?? 'unknown'),
      inline: true,
    },
    {
      name: 'Model',
      value: truncate(
        result.model === null
          ? 'unknown'
          : `${escapeMarkdown(result.model)}${result.modelHash ? ` [${result.modelHash}]` : ''}`,
        1024,
      ),
      inline: true,
    },
    {
      name: 'Sampler',
      value: `${escapeMarkdown(params.sampler)}${params.scheduler !== undefined ? ` · ${escapeMarkdown(params.scheduler)}` : ''}`,
      inline: true,
    },
    { name: 'Steps', value: String(params.steps), inline: true },
    { name: 'CFG', value: String(params.cfgScale), inline: true },
    { name: 'Size', value: renderSize(params, result), inline: true },
    ...renderFeatureFields(params),
  ];
  if (params.negativePrompt !== '') {
    fields.unshift({
      name: 'Negative prompt',
      value: truncate(escapeMarkdown(params.negativePrompt), 1024),
      inline: false,
    });
  }
  const mismatch = modelMismatch(params.model, result);
  const embed: APIEmbed = {
    color: COLOR_DONE,
    title: truncate(params.prompt.replace(/\s+/g, ' '), LIMITS.embedTitle),
    description: [
      renderOriginLine(job),
      truncate(escapeMarkdown(params.prompt), 1500),
      grid === undefined ? '' : renderGridNote(images.length),
    ]
      .filter((line) => line !== '')
      .join('\n'),
    fields,
    footer: {
      text: `Generated in ${(result.durationMs / 1000).toFixed(1)}s · job ${job.id}${job.parentId === null ? '' : ` · from job ${job.parentId}`}`,
    },
  };
  if (files[0] !== undefined) embed.image = { url: `attachment://${files[0].name}` };
  const notes = (params.notes ?? []).filter((note) => !note.startsWith('Style: '));
  return {
    content: truncate(
      [mismatch, ...notes.map((note) => `ℹ️ ${escapeMarkdown(note)}`)]
        .filter((line) => line !== undefined)
        .join('\n'),
      LIMITS.content,
    ),
    embeds: [embed],
    components: renderResultButtons(job, images.length, options),
    files,
  };
}

/** The size, and with hires fix the size it was enlarged to: `512×512 → 1024×1024 (hires ×2)`. */
export function renderSize(
  params: GenerationParams,
  /** The size the images really came out at, where the reply read it from them. */
  actual?: { width?: number | undefined; height?: number | undefined },
): string {
  const width = actual?.width;
  const height = actual?.height;
  const hires = params.hires;
  if (hires === undefined) return `${width ?? params.width}×${height ?? params.height}`;
  return `${params.width}×${params.height} → ${width ?? hires.width}×${height ?? hires.height} (hires ×${hires.scale})`;
}

/** LoRAs, style, hires upscaler, ADetailer and which image is which variant, where used. */
export function renderFeatureFields(params: GenerationParams): NonNullable<APIEmbed['fields']> {
  const fields: NonNullable<APIEmbed['fields']> = [];
  const loras = params.loras ?? [];
  if (loras.length > 0) {
    fields.push({
      name: 'LoRAs',
      value: truncate(loras.map((lora) => `${escapeMarkdown(lora.name)}:${lora.weight}`).join(', '), 1024),
      inline: true,
    });
  }
  const style =
    params.styles?.[0] ?? params.notes?.find((note) => note.startsWith('Style: '))?.slice('Style: '.length);
  if (style !== undefined)
    fields.push({ name: 'Style', value: truncate(escapeMarkdown(style), 1024), inline: true });
  if (params.hires !== undefined) {
    fields.push({
      name: 'Hires fix',
      value: truncate(
        [
          `×${params.hires.scale}`,
          params.hires.upscaler === undefined ? undefined : escapeMarkdown(params.hires.upscaler),
          `denoise ${params.hires.denoise}`,
          params.hires.steps === undefined ? undefined : `${params.hires.steps} steps`,
        ]
          .filter((part) => part !== undefined)
          .join(' · '),
        1024,
      ),
      inline: true,
    });
  }
  if (params.adetailer === true) fields.push({ name: 'ADetailer', value: 'faces fixed', inline: true });
  const variants = params.variants ?? [];
  if (variants.length > 1) {
    const per = Math.max(1, params.count);
    const lines = variants.map((variant, index) => {
      const first = index * per + 1;
      const images = per === 1 ? `Image ${first}` : `Images ${first}–${first + per - 1}`;
      return `${images}: ${escapeMarkdown(variant.label)}`;
    });
    fields.push({ name: 'Variants', value: truncate(lines.join('\n'), 1024), inline: false });
  }
  return fields;
}

export function renderCancelled(job: Job): MessageView {
  return {
    content: '',
    embeds: [{ color: COLOR_MUTED, description: `**Cancelled.**\n${promptLine(job.params)}` }],
    components: [],
    files: [],
  };
}

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
