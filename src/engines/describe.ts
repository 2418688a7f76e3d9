import { type Message, msg, render } from '../i18n/translate.js';
import type { Capabilities } from './types.js';

/**
 * One thing a server cannot do through the bot, as a message (the subject is the server: "cannot
 * upscale images"): `brief` for /queue, `detail` (with what the bot does about it) for doctor and the logs.
 */
export interface ServerLimit {
  brief: Message;
  detail: Message;
}

const limit = (brief: Message, detail: Message): ServerLimit => ({ brief, detail });

/** Pure: what a server cannot do through the bot, in the members' language once rendered. */
export function serverLimits(capabilities: Capabilities): ServerLimit[] {
  const limits: ServerLimit[] = [];
  if (capabilities.progress === 'none') {
    limits.push(limit(msg('commands.limit.noProgress'), msg('commands.limit.noProgressDetail')));
  } else if (capabilities.progress === 'global') {
    limits.push(limit(msg('commands.limit.globalProgress'), msg('commands.limit.globalProgressDetail')));
  }
  if (!capabilities.preview)
    limits.push(limit(msg('commands.limit.noPreview'), msg('commands.limit.noPreviewDetail')));
  if (capabilities.interrupt === 'none') {
    limits.push(limit(msg('commands.limit.noInterrupt'), msg('commands.limit.noInterruptDetail')));
  }
  if (!capabilities.upscale)
    limits.push(limit(msg('commands.limit.noUpscale'), msg('commands.limit.noUpscaleDetail')));
  if (capabilities.models === 'fixed') {
    limits.push(limit(msg('commands.limit.fixedModel'), msg('commands.limit.fixedModelDetail')));
  }
  if (!capabilities.img2img)
    limits.push(limit(msg('commands.limit.noImg2img'), msg('commands.limit.noImg2imgDetail')));
  if (capabilities.schedulers === 'none') {
    limits.push(limit(msg('commands.limit.noSchedulers'), msg('commands.limit.noSchedulersDetail')));
  }
  if (capabilities.schedulers === 'combined') {
    limits.push(
      limit(msg('commands.limit.combinedSchedulers'), msg('commands.limit.combinedSchedulersDetail')),
    );
  }
  if (capabilities.sizeMultiple > 8) {
    const multiple = capabilities.sizeMultiple;
    limits.push(
      limit(
        msg('commands.limit.sizeMultiple', { multiple }),
        msg('commands.limit.sizeMultipleDetail', { multiple }),
      ),
    );
  }
  if (capabilities.ownSeeds)
    limits.push(limit(msg('commands.limit.ownSeeds'), msg('commands.limit.ownSeedsDetail')));
  if (!capabilities.loras)
    limits.push(limit(msg('commands.limit.noLoras'), msg('commands.limit.noLorasDetail')));
  if (!capabilities.styles)
    limits.push(limit(msg('commands.limit.noStyles'), msg('commands.limit.noStylesDetail')));
  return limits;
}

/**
 * Pure: what a server cannot do, as message keys with what the bot does about each (for doctor and
 * the logs, which render them in English: `render(message)`).
 */
export function describeLimits(capabilities: Capabilities): Message[] {
  return serverLimits(capabilities).map((entry) => entry.detail);
}

/** "stable-diffusion.cpp: cannot switch models; cannot upscale images", short, in English (for logs). */
export function describeServer(capabilities: Capabilities, limit = 3): string {
  const limits = serverLimits(capabilities).map((entry) => render(entry.brief));
  if (limits.length === 0) return capabilities.name;
  const shown = limits.slice(0, limit).join('; ');
  return `${capabilities.name}: ${shown}${limits.length > limit ? `; and ${limits.length - limit} more` : ''}`;
}
