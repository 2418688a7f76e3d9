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
import type { Job } from '../../jobs/types.js';
import { encodeCustomId } from '../intake/custom-id.js';
import { COLOR_FAILED, COLOR_MUTED, COLOR_WORKING, type MessageView } from './message-view.js';
import { escapeMarkdown, LIMITS, truncate } from './view-text.js';

// The job's states as messages here; the finished reply, the message shape and the text helpers
// live in their own modules and are re-exported for the callers that import them from here.
export type { MessageView } from './message-view.js';
export {
  imageFileName,
  renderFeatureFields,
  renderGridNote,
  renderResult,
  renderSize,
} from './result-view.js';
export { escapeMarkdown, LIMITS, oneDecimal, truncate } from './view-text.js';

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
