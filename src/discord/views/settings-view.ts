import type { APIEmbed } from 'discord.js';
import type { GenerationDefaults } from '../../generation/request.js';
import { DEFAULT_LOCALE, type Locale } from '../../i18n/locales.js';
import { render, t } from '../../i18n/translate.js';
import { LOCALE_NAMES } from '../../policy/locale-names.js';
import {
  type EffectivePolicy,
  FEATURE_NAMES,
  type FeaturePolicy,
  type GuildPolicy,
} from '../../policy/policy.js';
import { describeNsfwMode } from '../../policy/policy-changes.js';
import { formatSeconds } from '../../policy/quota.js';
import { escapeMarkdown, truncate } from './view-text.js';

const COLOR = 0x5865f2;

interface SettingsViewInput {
  stored: GuildPolicy;
  effective: EffectivePolicy;
  defaults: GenerationDefaults;
  defaultModel: string | undefined;
}

/** The mark after a setting the server has not set itself (empty when it has). */
const ownMark = (locale: Locale) => (isOwn: boolean) =>
  isOwn ? '' : t(locale, 'refusals.settingsView.botDefault');
const code = (text: string) => `\`${truncate(text.replace(/`/g, 'ˋ'), 300) || ' '}\``;

/** The generation defaults: model, size, steps, sampler, negative prompt. */
function renderDefaultsLines(input: SettingsViewInput, locale: Locale): string[] {
  const { defaults } = input;
  const sd = input.stored.defaults;
  const own = ownMark(locale);
  return [
    input.defaultModel === undefined
      ? t(locale, 'refusals.settingsView.modelLoaded')
      : t(locale, 'refusals.settingsView.model', { model: escapeMarkdown(input.defaultModel) }),
    t(locale, 'refusals.settingsView.size', {
      width: defaults.width,
      height: defaults.height,
      own: own(sd.width !== undefined),
    }),
    t(locale, 'refusals.settingsView.steps', { steps: defaults.steps, own: own(sd.steps !== undefined) }),
    t(locale, 'refusals.settingsView.sampler', {
      sampler: escapeMarkdown(defaults.sampler),
      scheduler: escapeMarkdown(defaults.scheduler),
      own: own(sd.sampler !== undefined),
    }),
    defaults.negativePrompt === ''
      ? t(locale, 'refusals.settingsView.negativeNone', { own: own(sd.negativePrompt !== undefined) })
      : t(locale, 'refusals.settingsView.negative', {
          text: code(defaults.negativePrompt),
          own: own(sd.negativePrompt !== undefined),
        }),
  ];
}

/** The policies: NSFW, SFW negative prompt, audit, cooldown, hourly limit, bypass, blocked terms, language. */
function renderPolicyLines(stored: GuildPolicy, effective: EffectivePolicy, locale: Locale): string[] {
  const own = ownMark(locale);
  const bypass = [
    effective.bypassRoleId === undefined ? undefined : `<@&${effective.bypassRoleId}>`,
    effective.bypassManageServer ? t(locale, 'refusals.settingsView.manageServer') : undefined,
  ].filter((part) => part !== undefined);
  return [
    t(locale, 'refusals.settingsView.nsfw', {
      mode: render(describeNsfwMode(effective.nsfwMode), locale),
      own: own(stored.nsfwMode !== undefined),
    }),
    t(locale, 'refusals.settingsView.sfwNegative', {
      text: code(effective.sfwNegativePrompt),
      own: own(stored.sfwNegativePrompt !== undefined),
    }),
    effective.auditChannelId === undefined
      ? t(locale, 'refusals.settingsView.auditNone')
      : t(locale, 'refusals.settingsView.audit', { channelId: effective.auditChannelId }),
    effective.cooldownSeconds === 0
      ? t(locale, 'refusals.settingsView.cooldownOff', { own: own(stored.cooldownSeconds !== undefined) })
      : t(locale, 'refusals.settingsView.cooldown', {
          duration: formatSeconds(effective.cooldownSeconds, locale),
          own: own(stored.cooldownSeconds !== undefined),
        }),
    effective.hourlyLimit === 0
      ? t(locale, 'refusals.settingsView.hourlyNone', { own: own(stored.hourlyLimit !== undefined) })
      : t(locale, 'refusals.settingsView.hourly', {
          limit: effective.hourlyLimit,
          own: own(stored.hourlyLimit !== undefined),
        }),
    bypass.length === 0
      ? t(locale, 'refusals.settingsView.bypassNobody')
      : t(locale, 'refusals.settingsView.bypass', { who: bypass.join(', ') }),
    t(locale, 'refusals.settingsView.blocked', { count: effective.blockedTerms.length }),
    t(locale, 'refusals.settingsView.locale', {
      language: LOCALE_NAMES[stored.locale ?? DEFAULT_LOCALE],
      own: own(stored.locale !== undefined),
    }),
  ];
}

/** `/settings view`: the defaults and policies in force in this server, and which are its own. */
export function renderSettingsView(input: SettingsViewInput, locale: Locale = DEFAULT_LOCALE): APIEmbed {
  const { stored, effective } = input;
  return {
    color: COLOR,
    title: t(locale, 'refusals.settingsView.settingsTitle'),
    fields: [
      {
        name: t(locale, 'refusals.settingsView.defaultsField'),
        value: truncate(renderDefaultsLines(input, locale).join('\n'), 1024),
      },
      {
        name: t(locale, 'refusals.settingsView.policiesField'),
        value: truncate(renderPolicyLines(stored, effective, locale).join('\n'), 1024),
      },
      {
        name: t(locale, 'refusals.settingsView.featuresField'),
        value: truncate(renderFeatureLines(stored.features, locale).join('\n'), 1024),
      },
    ],
  };
}

function renderFeatureLines(features: FeaturePolicy | undefined, locale: Locale): string[] {
  const allowed = features?.allowed ?? {};
  const off = FEATURE_NAMES.filter((name) => allowed[name] === false);
  const styles = features?.styles ?? [];
  const families = Object.entries(features?.families ?? {});
  const hires = [
    features?.hiresUpscaler === undefined
      ? t(locale, 'refusals.settingsView.serverUpscaler')
      : escapeMarkdown(features.hiresUpscaler),
    t(locale, 'refusals.settingsView.hiresDenoisePart', { denoise: features?.hiresDenoise ?? 0.5 }),
    features?.hiresSteps === undefined
      ? undefined
      : t(locale, 'refusals.settingsView.hiresStepsPart', { steps: features.hiresSteps }),
  ].filter((part) => part !== undefined);
  return [
    off.length === 0
      ? t(locale, 'refusals.settingsView.turnedOffNothing')
      : t(locale, 'refusals.settingsView.turnedOff', { features: off.join(', ') }),
    t(locale, 'refusals.settingsView.featureLimits', {
      loras: features?.maxLoras ?? 'MAX_LORAS',
      scale: features?.maxHiresScale ?? 'MAX_HIRES_SCALE',
    }),
    t(locale, 'refusals.settingsView.hiresDefaults', { parts: hires.join(' · ') }),
    styles.length === 0
      ? t(locale, 'refusals.settingsView.stylesNone')
      : t(locale, 'refusals.settingsView.styles', {
          styles: escapeMarkdown(styles.map((style) => style.name).join(', ')),
        }),
    ...(families.length === 0
      ? []
      : [
          t(locale, 'refusals.settingsView.families', {
            families: escapeMarkdown(families.map(([model, family]) => `${model} = ${family}`).join(', ')),
          }),
        ]),
  ];
}

/** The blocked list for moderators (ephemeral); each entry in a code span so nothing renders or pings. */
export function renderBlockedList(terms: readonly string[], locale: Locale = DEFAULT_LOCALE): string {
  if (terms.length === 0) return t(locale, 'refusals.blockedList.empty');
  const lines = [
    terms.length === 1
      ? t(locale, 'refusals.blockedList.headerOne')
      : t(locale, 'refusals.blockedList.header', { count: terms.length }),
  ];
  for (const term of terms) {
    const line = `• \`${term.replace(/`/g, 'ˋ')}\``;
    if (lines.join('\n').length + line.length + 80 > 2000) {
      lines.push(t(locale, 'refusals.blockedList.more', { count: terms.length - lines.length + 1 }));
      break;
    }
    lines.push(line);
  }
  return lines.join('\n');
}
