import { type Message, render } from './i18n/translate.js';

/**
 * A problem with what the member asked for: shown as is, and nothing changes. Its `texts` are what
 * the member reads (one line each), in their language; `message` is the English text, for the logs.
 */
export class UserError extends Error {
  readonly code: string;
  /** The first (usually only) line the member reads; undefined for an already-written text. */
  readonly text: Message | undefined;
  /** Every line, in order (several problems refused at once); empty for an already-written text. */
  readonly texts: readonly Message[];
  constructor(code: string, message: string | Message | readonly Message[], options?: { cause?: unknown }) {
    const texts = typeof message === 'string' ? [] : isMessageList(message) ? message : [message];
    super(typeof message === 'string' ? message : texts.map((text) => render(text)).join('\n'), options);
    this.name = 'UserError';
    this.code = code;
    this.texts = texts;
    this.text = texts[0];
  }
}

function isMessageList(message: Message | readonly Message[]): message is readonly Message[] {
  return Array.isArray(message);
}
