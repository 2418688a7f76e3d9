import { fill, type Params, type ParamsOf } from './format.js';
import { DEFAULT_LOCALE, type Locale } from './locales.js';
import { CATALOGS, en, type MessageKey } from './messages/index.js';

/** A text a member sees, before it is put in their language: a key and its parameters. */
export interface Message<K extends MessageKey = MessageKey> {
  key: K;
  params: Params<(typeof en)[K]>;
}

/** Builds a message; the parameters are checked against the English template's placeholders. */
export function msg<K extends MessageKey>(
  key: K,
  ...params: [ParamsOf<(typeof en)[K]>] extends [never] ? [] : [Params<(typeof en)[K]>]
): Message<K> {
  return { key, params: (params[0] ?? {}) as Params<(typeof en)[K]> };
}

/** The message in `locale`, English where that locale has no text for the key. */
export function render(message: Message, locale: Locale = DEFAULT_LOCALE): string {
  const template = CATALOGS[locale][message.key] ?? en[message.key];
  return fill(template, message.params as Record<string, string | number>, locale);
}

/** Shorthand: `t('de', 'cancel.done')`. */
export function t<K extends MessageKey>(
  locale: Locale,
  key: K,
  ...params: [ParamsOf<(typeof en)[K]>] extends [never] ? [] : [Params<(typeof en)[K]>]
): string {
  return render({ key, params: params[0] ?? {} } as unknown as Message, locale);
}
