import type { APIEmbed } from 'discord.js';
import type { GenerationDefaults } from '../../generation/request.js';
import {
  type EffectivePolicy,
  FEATURE_NAMES,
  type FeaturePolicy,
  type GuildPolicy,
} from '../../policy/policy.js';
import { formatSeconds } from '../../policy/quota.js';
import { describeNsfwMode } from '../../policy/settings-changes.js';
import { escapeMarkdown, truncate } from './render.js';

const COLOR = 0x5865f2;
const own = (isOwn: boolean) => (isOwn ? '' : ' *(bot default)*');

/** `/settings view`: the defaults and policies in force in this server, and which are its own. */
export function renderSettingsView(input: {
  stored: GuildPolicy;
  effective: EffectivePolicy;
  defaults: GenerationDefaults;
  defaultModel: string | undefined;
}): APIEmbed {
  const { stored, effective, defaults } = input;
  const sd = stored.defaults;
  const defaultsLines = [
    `Model: ${input.defaultModel === undefined ? 'the one loaded' : `**${escapeMarkdown(input.defaultModel)}**`}`,
    `Size: ${defaults.width}×${defaults.height}${own(sd.width !== undefined)}`,
    `Steps: ${defaults.steps}${own(sd.steps !== undefined)}`,
    `Sampler: ${escapeMarkdown(defaults.sampler)} · ${escapeMarkdown(defaults.scheduler)}${own(sd.sampler !== undefined)}`,
    `Negative prompt: ${defaults.negativePrompt === '' ? 'none' : `\`${truncate(defaults.negativePrompt.replace(/`/g, 'ˋ'), 300)}\``}${own(sd.negativePrompt !== undefined)}`,
  ];
  const policyLines = [
    `Outside age-restricted channels: ${describeNsfwMode(effective.nsfwMode)}${own(stored.nsfwMode !== undefined)}`,
    `SFW negative prompt: \`${truncate(effective.sfwNegativePrompt.replace(/`/g, 'ˋ'), 300) || ' '}\`${own(stored.sfwNegativePrompt !== undefined)}`,
    `Audit channel: ${effective.auditChannelId === undefined ? 'none' : `<#${effective.auditChannelId}>`}`,
    `Cooldown per member: ${effective.cooldownSeconds === 0 ? 'off' : formatSeconds(effective.cooldownSeconds)}${own(stored.cooldownSeconds !== undefined)}`,
    `Requests per hour (server): ${effective.hourlyLimit === 0 ? 'no limit' : effective.hourlyLimit}${own(stored.hourlyLimit !== undefined)}`,
    `Quota bypass: ${
      [
        effective.bypassRoleId === undefined ? undefined : `<@&${effective.bypassRoleId}>`,
        effective.bypassManageServer ? 'Manage Server' : undefined,
      ]
        .filter((part) => part !== undefined)
        .join(', ') || 'nobody'
    }`,
    `Blocked terms: ${effective.blockedTerms.length} (see /settings blocked-words list)`,
  ];
  return {
    color: COLOR,
    title: 'Settings for this server',
    fields: [
      { name: '/imagine defaults', value: truncate(defaultsLines.join('\n'), 1024) },
      { name: 'Policies', value: truncate(policyLines.join('\n'), 1024) },
      { name: 'Features', value: truncate(renderFeatureLines(stored.features).join('\n'), 1024) },
    ],
  };
}

function renderFeatureLines(features: FeaturePolicy | undefined): string[] {
  const allowed = features?.allowed ?? {};
  const off = FEATURE_NAMES.filter((name) => allowed[name] === false);
  const styles = features?.styles ?? [];
  const families = Object.entries(features?.families ?? {});
  return [
    `Turned off: ${off.length === 0 ? 'nothing' : off.join(', ')}`,
    `Most LoRAs: ${features?.maxLoras ?? 'MAX_LORAS'} · highest hires scale: ${features?.maxHiresScale ?? 'MAX_HIRES_SCALE'}`,
    `Hires defaults: ${[features?.hiresUpscaler === undefined ? 'server’s upscaler' : escapeMarkdown(features.hiresUpscaler), `denoise ${features?.hiresDenoise ?? 0.5}`, features?.hiresSteps === undefined ? undefined : `${features.hiresSteps} steps`].filter((part) => part !== undefined).join(' · ')}`,
    `Styles defined here: ${styles.length === 0 ? 'none' : escapeMarkdown(styles.map((style) => style.name).join(', '))}`,
    ...(families.length === 0
      ? []
      : [
          `Families set: ${escapeMarkdown(families.map(([model, family]) => `${model} = ${family}`).join(', '))}`,
        ]),
  ];
}

/** The blocked list for moderators (ephemeral); each entry in a code span so nothing renders or pings. */
export function renderBlockedList(terms: readonly string[]): string {
  if (terms.length === 0) return 'This server blocks no terms. Add one with /settings blocked-words add.';
  const lines = [`This server blocks ${terms.length} term${terms.length === 1 ? '' : 's'}:`];
  for (const term of terms) {
    const line = `• \`${term.replace(/`/g, 'ˋ')}\``;
    if (lines.join('\n').length + line.length + 40 > 2000) {
      lines.push(`…and ${terms.length - lines.length + 1} more.`);
      break;
    }
    lines.push(line);
  }
  return lines.join('\n');
}
