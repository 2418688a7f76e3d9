import type { APIEmbed } from 'discord.js';
import { DEFAULT_LOCALE, type Locale } from '../../i18n/locales.js';
import { t } from '../../i18n/translate.js';
import type { Job, JobState } from '../../jobs/types.js';
import { renderFeatureFields, renderSize } from '../views/result-view.js';
import { escapeMarkdown, LIMITS, oneDecimal, truncate } from '../views/view-text.js';
import { renderOriginLine } from './result-buttons.js';

const COLOR_INFO = 0x5865f2;
/** Room kept under Discord's 6000 characters for all embeds of one message. */
const EMBEDS_BUDGET = LIMITS.embedsTotal - 200;

const code = (text: string) => `\`${text.replace(/`/g, 'ˋ')}\``;

const STATE_KEYS = {
  queued: 'delivery.info.stateQueued',
  running: 'delivery.info.stateRunning',
  succeeded: 'delivery.info.stateSucceeded',
  failed: 'delivery.info.stateFailed',
  cancelled: 'delivery.info.stateCancelled',
} as const satisfies Record<JobState, string>;

type Fields = NonNullable<APIEmbed['fields']>;
type AddField = (name: string, value: string | undefined, inline?: boolean) => void;

/** Adds a field to `fields` where it has a value, cut to Discord's limit. */
const fieldAdder =
  (fields: Fields): AddField =>
  (name, value, inline = true) => {
    if (value !== undefined && value !== '')
      fields.push({ name, value: truncate(value, LIMITS.fieldValue), inline });
  };

/** Every parameter but the prompt (in the description), and the seeds used. */
function addParameterFields(add: AddField, job: Job, locale: Locale): void {
  const { params, result } = job;
  add(t(locale, 'delivery.result.negativePromptField'), escapeMarkdown(params.negativePrompt), false);
  add(t(locale, 'delivery.info.kindField'), job.kind);
  add(
    t(locale, 'delivery.info.seedAskedField'),
    params.seed === -1 ? t(locale, 'delivery.info.randomSeed') : String(params.seed),
  );
  add(t(locale, 'delivery.info.seedsUsedField'), result === null ? undefined : result.seeds.join(', '));
  if (params.subseedStrength !== undefined) {
    add(
      t(locale, 'delivery.info.variationField'),
      t(locale, 'delivery.info.variation', {
        subseed: params.subseed === -1 ? t(locale, 'delivery.info.randomSubseed') : String(params.subseed),
        strength: params.subseedStrength,
      }),
    );
  }
  if (job.kind !== 'upscale') {
    add(
      t(locale, 'delivery.result.samplerField'),
      `${escapeMarkdown(params.sampler)}${params.scheduler === undefined ? '' : ` · ${escapeMarkdown(params.scheduler)}`}`,
    );
    add(t(locale, 'delivery.result.stepsField'), String(params.steps));
    add(t(locale, 'delivery.info.cfgScaleField'), String(params.cfgScale));
  }
  add(
    t(locale, 'delivery.result.sizeField'),
    `${renderSize(params, undefined, locale)}${params.count > 1 ? ` ×${params.count}` : ''}`,
  );
  for (const field of renderFeatureFields(params, locale)) add(field.name, field.value, field.inline ?? true);
  if (job.kind === 'img2img')
    add(t(locale, 'delivery.info.denoisingField'), String(params.denoisingStrength ?? 0.75));
  if (params.upscale !== undefined)
    add(
      t(locale, 'delivery.info.upscalerField'),
      `${escapeMarkdown(params.upscale.upscaler)} ×${params.upscale.factor}`,
    );
}

/** The model asked for and used, the time taken, the job and who asked. */
function addJobFields(add: AddField, job: Job, locale: Locale): void {
  const { params, result } = job;
  add(
    t(locale, 'delivery.info.modelAskedField'),
    params.model === undefined ? undefined : code(params.model),
  );
  if (result !== null) {
    add(
      t(locale, 'delivery.info.modelUsedField'),
      result.model === null
        ? t(locale, 'delivery.result.unknown')
        : `${code(result.model)}${result.modelHash ? ` [${result.modelHash}]` : ''}`,
    );
    add(
      t(locale, 'delivery.info.timeField'),
      t(locale, 'delivery.info.seconds', { seconds: oneDecimal(result.durationMs / 1000, locale) }),
    );
  }
  const state = t(locale, STATE_KEYS[job.state]);
  add(
    t(locale, 'delivery.info.jobField'),
    job.parentId === null
      ? t(locale, 'delivery.info.job', { jobId: job.id, state })
      : t(locale, 'delivery.info.jobFrom', { jobId: job.id, state, parentId: job.parentId }),
    false,
  );
  add(
    t(locale, 'delivery.info.askedByField'),
    `<@${job.userId}> <t:${Math.floor(job.createdAt / 1000)}:R>`,
    false,
  );
}

/** The infotexts in a second embed, where they fit in what the first leaves of the message's room. */
function infotextEmbed(job: Job, main: APIEmbed, fields: Fields, locale: Locale): APIEmbed | undefined {
  const infotexts = job.result?.infotexts.filter((text) => text !== '') ?? [];
  if (infotexts.length === 0) return undefined;
  const used =
    (main.title?.length ?? 0) +
    (main.description?.length ?? 0) +
    fields.reduce((sum, field) => sum + field.name.length + field.value.length, 0);
  const room = Math.min(LIMITS.embedDescription, EMBEDS_BUDGET - used) - 10;
  if (room <= 100) return undefined;
  const text = infotexts
    .map((line, index) => (infotexts.length > 1 ? `#${index + 1} ${line}` : line))
    .join('\n\n');
  return {
    color: COLOR_INFO,
    title: t(locale, 'delivery.info.infotextTitle'),
    description: `\`\`\`\n${truncate(text.replace(/```/g, 'ˋˋˋ'), room)}\n\`\`\``,
  };
}

/** The Info button's answer (ephemeral): every parameter, the seeds, the model, and the infotext. */
export function renderJobInfo(job: Job, locale: Locale = DEFAULT_LOCALE): { embeds: APIEmbed[] } {
  const fields: Fields = [];
  const add = fieldAdder(fields);
  addParameterFields(add, job, locale);
  addJobFields(add, job, locale);
  const origin = renderOriginLine(job, locale);
  const main: APIEmbed = {
    color: COLOR_INFO,
    title: t(locale, 'delivery.info.parametersTitle'),
    description: truncate(
      [origin, escapeMarkdown(job.params.prompt)].filter((line) => line !== '').join('\n'),
      1500,
    ),
    fields,
  };
  const infotext = infotextEmbed(job, main, fields, locale);
  return { embeds: infotext === undefined ? [main] : [main, infotext] };
}
