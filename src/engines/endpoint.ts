import type { Capabilities } from './types.js';

/**
 * How the bot presents itself to an image server: `--api-auth user:pass` is HTTP Basic; a password
 * alone is a bearer key (KoboldCpp's `--password`); neither is no header at all.
 */
export function toAuthorization(username: string, password: string): string | null {
  if (username === '' && password === '') return null;
  if (username === '') return `Bearer ${password}`;
  return `Basic ${Buffer.from(`${username}:${password}`, 'utf8').toString('base64')}`;
}

/** The same choice as a capability record states it. */
export function toAuthKind(username: string | undefined, password: string | undefined): Capabilities['auth'] {
  if (password === undefined) return 'none';
  return username === undefined ? 'bearer' : 'basic';
}
