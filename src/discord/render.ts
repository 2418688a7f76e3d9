import {
  type APIActionRowComponent,
  type APIButtonComponent,
  type APIComponentInMessageActionRow,
  type APIEmbed,
  ButtonStyle,
  ComponentType,
} from 'discord.js';
import type { GenerationParams } from '../generation/request.js';
import type { Job, JobResult } from '../jobs/types.js';
import type { SdProgress } from '../sd/types.js';
import { encodeCustomId } from './custom-id.js';
import { GRID_FILE_NAME, renderOriginLine, renderResultButtons } from './result-buttons.js';

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

export function renderRunning(job: Job, progress: SdProgress | null): MessageView {
  const lines = [`**Generating** on ${job.backend === null ? 'the image server' : 'an image server'}`];
  const files: MessageView['files'] = [];
  const embed: APIEmbed = { color: COLOR_WORKING };
  if (progress !== null && progress.samplingSteps > 0) {
    const percent = Math.round(progress.progress * 100);
    const eta = Math.max(0, Math.round(progress.etaRelativeSeconds));
    lines.push(
      `\`${renderProgressBar(progress.progress)}\` ${percent}%`,
      `Step ${progress.samplingStep}/${progress.samplingSteps} · about ${eta}s left`,
    );
    if (progress.currentImage !== null) {
      files.push({ name: 'preview.png', data: Buffer.from(progress.currentImage, 'base64') });
      embed.thumbnail = { url: 'attachment://preview.png' };
    }
  } else {
    lines.push('Starting…');
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
export function renderResult(job: Job, result: JobResult, images: Buffer[], grid?: Buffer): MessageView {
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
    { name: 'Size', value: `${params.width}×${params.height}`, inline: true },
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
  return {
    content: mismatch ?? '',
    embeds: [embed],
    components: renderResultButtons(job, images.length),
    files,
  };
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
