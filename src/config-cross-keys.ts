import type { z } from 'zod';
import type { ConfigIssue, Env } from './config-errors.js';
import { envSchema as schema } from './config-schema.js';

/** A key's value when it is valid on its own, else undefined (its own problem is listed elsewhere). */
export function validValue<T>(type: z.ZodType<T>, raw: unknown): T | undefined {
  const parsed = type.safeParse(raw);
  return parsed.success ? parsed.data : undefined;
}

/**
 * Problems between keys, each checked whenever the keys it involves are valid on their own, so they
 * are listed together with every other problem.
 */
export function crossKeyIssues(env: Env): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const { shape } = schema;
  const fluxKeys = ['COMFY_FLUX_UNET', 'COMFY_FLUX_CLIP1', 'COMFY_FLUX_CLIP2', 'COMFY_FLUX_VAE'] as const;
  const fluxSet = fluxKeys.filter((key) => (env[key] ?? '').trim() !== '');
  if (fluxSet.length > 0 && fluxSet.length < fluxKeys.length) {
    issues.push({
      key: fluxKeys.filter((key) => !fluxSet.includes(key)).join('/'),
      problem: 'set all four COMFY_FLUX_* files or none (the Flux graph needs each of them)',
    });
  }
  if (validValue(shape.BOT_ROLE, env.BOT_ROLE) === 'worker' && (env.DATABASE_URL ?? '').trim() === '') {
    issues.push({
      key: 'BOT_ROLE',
      problem:
        'worker needs DATABASE_URL: a worker takes its jobs from a queue it shares with the front process',
    });
  }
  const maxPixels = validValue(shape.MAX_PIXELS, env.MAX_PIXELS);
  const maxTotalPixels = validValue(shape.MAX_TOTAL_PIXELS, env.MAX_TOTAL_PIXELS);
  const width = validValue(shape.DEFAULT_WIDTH, env.DEFAULT_WIDTH);
  const height = validValue(shape.DEFAULT_HEIGHT, env.DEFAULT_HEIGHT);
  if (maxPixels === undefined) return issues;
  if (maxTotalPixels !== undefined && maxTotalPixels < maxPixels) {
    issues.push({ key: 'MAX_TOTAL_PIXELS', problem: `must be at least MAX_PIXELS (${maxPixels})` });
  }
  if (width !== undefined && height !== undefined && width * height > maxPixels) {
    issues.push({
      key: 'DEFAULT_WIDTH/DEFAULT_HEIGHT',
      problem: `their product must not exceed MAX_PIXELS (${maxPixels})`,
    });
  }
  return issues;
}
