/**
 * sharp (libvips) on first use, not at start: loading it maps libvips and its codecs and starts its
 * thread pool, about 20 MiB of RSS that an idle bot, or one that only ever sends single images byte
 * for byte, never needs.
 */
import type SharpModule from 'sharp';

export type Sharp = typeof SharpModule;

let loading: Promise<Sharp> | undefined;

/** sharp, imported once; the process-wide settings are applied before anyone uses it. */
export function loadSharp(): Promise<Sharp> {
  loading ??= import('sharp').then(
    ({ default: sharp }) => {
      // libvips' operation cache keeps decoded images around; the bot never reuses them.
      sharp.cache(false);
      return sharp;
    },
    (error: unknown) => {
      loading = undefined;
      throw error;
    },
  );
  return loading;
}
