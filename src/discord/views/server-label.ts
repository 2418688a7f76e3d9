import type { Locale } from '../../i18n/locales.js';
import { t } from '../../i18n/translate.js';

/** An image server as members read it, in their language: "server 2", or "the server" when there is one. */
export function serverLabel(index: number, total: number, locale: Locale): string {
  return total > 1
    ? t(locale, 'commands.server.numbered', { number: index + 1 })
    : t(locale, 'commands.server.only');
}
