/** The shared wording of the feature refusals: a feature turned off, and the closest names to a typo. */

import { type Message, msg } from '../i18n/translate.js';
import { editDistance } from '../models/match.js';
import type { FeatureName } from '../policy/policy.js';
import { VARIANT_SYNTAX } from './variants.js';

/** The refusal for a feature this server turned off. */
export const notAllowed = (feature: FeatureName): Message => {
  switch (feature) {
    case 'loras':
      return msg('refusals.features.lorasOff');
    case 'styles':
      return msg('refusals.features.stylesOff');
    case 'hires':
      return msg('refusals.features.hiresOff');
    case 'adetailer':
      return msg('refusals.features.adetailerOff');
    case 'variants':
      return msg('refusals.features.variantsOff', { syntax: VARIANT_SYNTAX });
  }
};

/** Names in backticks for a refusal (a backtick inside one would end it early). */
export const quote = (names: readonly string[]) =>
  names.map((name) => `\`${name.replace(/`/g, 'ˋ')}\``).join(', ');
/** What the member typed, cut short enough to repeat in a refusal. */
export const echo = (text: string) => (text.length > 60 ? `${text.slice(0, 59)}…` : text);

/** The names nearest to `wanted` (for a refusal). */
export function closestNames(wanted: string, names: readonly string[], limit = 3): string[] {
  const lower = wanted.toLowerCase();
  return [...names]
    .map((name) => ({ name, distance: editDistance(lower, name.toLowerCase()) }))
    .sort((a, b) => a.distance - b.distance || a.name.localeCompare(b.name))
    .slice(0, limit)
    .map(({ name }) => name);
}
