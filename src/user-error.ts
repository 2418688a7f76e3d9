/** A problem with what the member asked for: its message is shown as is, and nothing changes. */
export class UserError extends Error {
  readonly code: string;
  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'UserError';
    this.code = code;
  }
}
