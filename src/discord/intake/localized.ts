import type { LocalizationMap } from 'discord.js';
import { DEFAULT_LOCALE, LOCALES } from '../../i18n/locales.js';
import { CATALOGS, type MessageKey } from '../../i18n/messages/index.js';

/**
 * A registration text in every shipped locale but the base one (en-US is the command's own name or
 * description), as Discord's `name_localizations` / `description_localizations` take it. Templates
 * are given as written: a description such as "{prompt} stands for it" means the braces literally.
 */
export function localized(key: MessageKey): LocalizationMap {
  const map: LocalizationMap = {};
  for (const locale of LOCALES) {
    if (locale === DEFAULT_LOCALE) continue;
    const text = CATALOGS[locale][key];
    if (text !== undefined) map[locale] = text;
  }
  return map;
}

/** The part of a key before a suffix: `commands.imagine.prompt` for `commands.imagine.promptOptionName`. */
type PrefixOf<Suffix extends string> = MessageKey extends infer Key
  ? Key extends `${infer Prefix}${Suffix}`
    ? Prefix
    : never
  : never;

interface Localizable {
  setNameLocalizations(map: LocalizationMap | null): unknown;
  setDescriptionLocalizations(map: LocalizationMap | null): unknown;
}

/** Sets a command's (or subcommand's, or group's) name and description localizations from `<prefix>CommandName`/`CommandDescription`. */
export function localizeCommand<T extends Localizable>(
  builder: T,
  prefix: PrefixOf<'CommandName'> & PrefixOf<'CommandDescription'>,
): T {
  builder.setNameLocalizations(localized(`${prefix}CommandName` as MessageKey));
  builder.setDescriptionLocalizations(localized(`${prefix}CommandDescription` as MessageKey));
  return builder;
}

/** Sets an option's name and description localizations from `<prefix>OptionName`/`OptionDescription`. */
export function localizeOption<T extends Localizable>(
  builder: T,
  prefix: PrefixOf<'OptionName'> & PrefixOf<'OptionDescription'>,
): T {
  builder.setNameLocalizations(localized(`${prefix}OptionName` as MessageKey));
  builder.setDescriptionLocalizations(localized(`${prefix}OptionDescription` as MessageKey));
  return builder;
}

/** `negative_prompt` → `negativePrompt`, at the type level. */
type Camel<S extends string> = S extends `${infer Head}${'_' | '-'}${infer Tail}`
  ? `${Head}${Capitalize<Camel<Tail>>}`
  : S;

const camel = (text: string) => text.replace(/[-_](\w)/g, (_, letter: string) => letter.toUpperCase());

/**
 * Choices whose value is also their (English) name, each with its name localized from
 * `<prefix>.<value in lower camel>Choice`: `localizedChoices(['off', 'negative-prompt'], 'commands.x')`
 * reads `commands.x.offChoice` and `commands.x.negativePromptChoice` (a missing key fails to compile).
 */
export function localizedChoices<V extends string, P extends string>(
  values: readonly V[],
  prefix: P & (`${P}.${Camel<V>}Choice` extends MessageKey ? unknown : never),
): { name: V; value: V; name_localizations: LocalizationMap }[] {
  return values.map((value) => ({
    name: value,
    value,
    name_localizations: localized(`${prefix}.${camel(value)}Choice` as MessageKey),
  }));
}
