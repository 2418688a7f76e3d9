import type { Capabilities } from './types.js';

/**
 * Pure: what a server cannot do through the bot, one plain sentence each (the subject is the
 * server: "cannot upscale images"), for doctor, /queue and the logs.
 */
export function describeLimits(capabilities: Capabilities): string[] {
  const lines: string[] = [];
  if (capabilities.progress === 'none') {
    lines.push('shows no progress while it works: the reply says how long it has been');
  } else if (capabilities.progress === 'global') {
    lines.push(
      'reports progress for the whole server only: the bot shows it while its job is the only one there',
    );
  }
  if (!capabilities.preview) lines.push('sends no live preview');
  if (capabilities.interrupt === 'none') {
    lines.push(
      'cannot stop one generation without stopping others: a cancelled image is finished and thrown away',
    );
  }
  if (!capabilities.upscale)
    lines.push('cannot upscale images: the Upscale button goes to a server that can, or is not offered');
  if (capabilities.models === 'fixed')
    lines.push('has one model, chosen when it was started: it cannot switch models');
  if (!capabilities.img2img) lines.push('cannot start from an image (img2img)');
  if (capabilities.schedulers === 'none') lines.push('has no scheduler choice of its own');
  if (capabilities.schedulers === 'combined') {
    lines.push('names samplers with their schedule ("DPM++ 2M Karras"): the bot combines them');
  }
  if (capabilities.sizeMultiple > 8)
    lines.push(`needs sizes in multiples of ${capabilities.sizeMultiple}: the bot rounds them`);
  if (capabilities.ownSeeds)
    lines.push('seeds a random image from the clock: the bot picks every seed itself');
  if (!capabilities.loras) lines.push('lists no LoRAs');
  if (!capabilities.styles) lines.push('has no saved styles');
  return lines;
}

/** "stable-diffusion.cpp: cannot switch models; cannot upscale images", short enough for /queue. */
export function describeServer(capabilities: Capabilities, limit = 3): string {
  const limits = describeLimits(capabilities).map((line) => line.split(':')[0] ?? line);
  if (limits.length === 0) return capabilities.name;
  const shown = limits.slice(0, limit).join('; ');
  return `${capabilities.name}: ${shown}${limits.length > limit ? `; and ${limits.length - limit} more` : ''}`;
}
