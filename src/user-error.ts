import { type Message, render } from './i18n/translate.js';

/**
 * A problem with what the member asked for: shown as is, and nothing changes. Its `text` is what
 * the member reads, in their language; `message` is the English text, for the logs.
 */
export class UserError extends Error {
  readonly code: string;
  readonly text: Message | undefined;
  constructor(code: string, message: string | Message, options?: { cause?: unknown }) {
    super(typeof message === 'string' ? message : render(message), options);
    this.name = 'UserError';
    this.code = code;
    this.text = typeof message === 'string' ? undefined : message;
  }
}
