/**
 * Pure: the server's file for a name the bot was given: a checkpoint for a catalog title, an upscale
 * model for an upscaler name (A1111's included).
 */
import { upscaleModelScale } from './graph.js';

const stem = (name: string): string =>
  (name.split(/[\\/]/).pop() ?? name).replace(/\.(safetensors|ckpt|pt|pth|bin|gguf|sft)$/i, '').toLowerCase();

/** The checkpoint file a catalog title means: exact, without a ` [hash]` suffix, or by file stem. */
export function matchCheckpoint(
  wanted: string | undefined,
  checkpoints: readonly string[],
): string | undefined {
  if (wanted === undefined || wanted.trim() === '') return undefined;
  const bare = wanted.replace(/\s*\[[0-9a-f]{8,64}\]\s*$/i, '').trim();
  return (
    checkpoints.find((name) => name === wanted || name === bare) ??
    checkpoints.find((name) => name.toLowerCase() === bare.toLowerCase()) ??
    checkpoints.find((name) => stem(name) === stem(bare))
  );
}

const norm = (text: string) => text.toLowerCase().replace(/[^a-z0-9]+/g, '');

/**
 * The upscale model for an upscaler name (the A1111 default `R-ESRGAN 4x+` included): exact, by stem, by a
 * shared name, by the scale the name announces, by the factor asked for, else the first.
 */
export function matchUpscaleModel(
  wanted: string,
  models: readonly string[],
  factor: number,
): string | undefined {
  const wantedNorm = norm(wanted);
  return (
    models.find((name) => name === wanted) ??
    models.find((name) => stem(name) === stem(wanted)) ??
    models.find((name) => norm(stem(name)).includes(wantedNorm) || wantedNorm.includes(norm(stem(name)))) ??
    models.find((name) => {
      const named = upscaleModelScale(wanted);
      return named !== null && upscaleModelScale(name) === named;
    }) ??
    models.find((name) => upscaleModelScale(name) === Math.round(factor)) ??
    models[0]
  );
}
