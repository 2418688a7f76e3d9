import type { APIEmbed } from 'discord.js';
import type { Job } from '../../jobs/types.js';
import { escapeMarkdown, LIMITS, renderFeatureFields, renderSize, truncate } from '../views/render.js';
import { renderOriginLine } from './result-buttons.js';

const COLOR_INFO = 0x5865f2;
/** Room kept under Discord's 6000 characters for all embeds of one message. */
const EMBEDS_BUDGET = LIMITS.embedsTotal - 200;

const code = (text: string) => `\`${text.replace(/`/g, 'ˋ')}\``;

/** The Info button's answer (ephemeral): every parameter, the seeds, the model, and the infotext. */
export function renderJobInfo(job: Job): { embeds: APIEmbed[] } {
  const { params, result } = job;
  const fields: NonNullable<APIEmbed['fields']> = [];
  const add = (name: string, value: string | undefined, inline = true) => {
    if (value !== undefined && value !== '')
      fields.push({ name, value: truncate(value, LIMITS.fieldValue), inline });
  };
  add('Negative prompt', escapeMarkdown(params.negativePrompt), false);
  add('Kind', job.kind);
  add('Seed asked', params.seed === -1 ? 'random (-1)' : String(params.seed));
  add('Seeds used', result === null ? undefined : result.seeds.join(', '));
  if (params.subseedStrength !== undefined) {
    add(
      'Variation',
      `subseed ${params.subseed === -1 ? 'random' : String(params.subseed)} · strength ${params.subseedStrength}`,
    );
  }
  if (job.kind !== 'upscale') {
    add(
      'Sampler',
      `${escapeMarkdown(params.sampler)}${params.scheduler === undefined ? '' : ` · ${escapeMarkdown(params.scheduler)}`}`,
    );
    add('Steps', String(params.steps));
    add('CFG scale', String(params.cfgScale));
  }
  add('Size', `${renderSize(params)}${params.count > 1 ? ` ×${params.count}` : ''}`);
  for (const field of renderFeatureFields(params)) add(field.name, field.value, field.inline ?? true);
  if (job.kind === 'img2img') add('Denoising strength', String(params.denoisingStrength ?? 0.75));
  if (params.upscale !== undefined)
    add('Upscaler', `${escapeMarkdown(params.upscale.upscaler)} ×${params.upscale.factor}`);
  add('Model asked', params.model === undefined ? undefined : code(params.model));
  if (result !== null) {
    add(
      'Model used',
      result.model === null
        ? 'unknown'
        : `${code(result.model)}${result.modelHash ? ` [${result.modelHash}]` : ''}`,
    );
    add('Time', `${(result.durationMs / 1000).toFixed(1)}s`);
  }
  add('Job', `${job.id} · ${job.state}${job.parentId === null ? '' : ` · from ${job.parentId}`}`, false);
  add('Asked by', `<@${job.userId}> <t:${Math.floor(job.createdAt / 1000)}:R>`, false);

  const origin = renderOriginLine(job);
  const main: APIEmbed = {
    color: COLOR_INFO,
    title: 'Parameters',
    description: truncate(
      [origin, escapeMarkdown(params.prompt)].filter((line) => line !== '').join('\n'),
      1500,
    ),
    fields,
  };
  const embeds: APIEmbed[] = [main];
  const infotexts = result?.infotexts.filter((text) => text !== '') ?? [];
  if (infotexts.length > 0) {
    const used =
      (main.title?.length ?? 0) +
      (main.description?.length ?? 0) +
      fields.reduce((sum, field) => sum + field.name.length + field.value.length, 0);
    const room = Math.min(LIMITS.embedDescription, EMBEDS_BUDGET - used) - 10;
    const text = infotexts
      .map((line, index) => (infotexts.length > 1 ? `#${index + 1} ${line}` : line))
      .join('\n\n');
    if (room > 100) {
      embeds.push({
        color: COLOR_INFO,
        title: 'Infotext',
        description: `\`\`\`\n${truncate(text.replace(/```/g, 'ˋˋˋ'), room)}\n\`\`\``,
      });
    }
  }
  return { embeds };
}
