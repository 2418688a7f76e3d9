/** Text as Discord shows it: its length limits, Markdown escaping, numbers in the member's locale. */
export { oneDecimal } from '../../i18n/format.js';

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
