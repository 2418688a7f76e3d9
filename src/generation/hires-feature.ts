/** The hires fix as a feature of one request: its option checked against the policy, limits and lists. */
import { type Message, msg } from '../i18n/translate.js';
import type { FeatureContext } from './feature-context.js';
import { closestNames, echo, notAllowed, quote } from './feature-refusals.js';
import { checkHiresBudget, hiresTargetSize, parseHiresOption } from './hires.js';
import type { GenerationParams } from './request.js';

/**
 * The `hires` option of one request: allowed, on a server that has it, enlarging within the scale
 * and pixel limits, with an upscaler the servers list. Every problem at once.
 */
export function resolveHires(
  text: string,
  params: GenerationParams,
  context: FeatureContext,
): { ok: true; value: NonNullable<GenerationParams['hires']> } | { ok: false; problems: Message[] } {
  const { features } = context;
  if (!features.allowed.hires) return { ok: false, problems: [notAllowed('hires')] };
  if (!context.available.hires) return { ok: false, problems: [msg('refusals.features.noHiresServer')] };
  if (context.img2img) return { ok: false, problems: [msg('refusals.hires.img2img')] };
  const parsed = parseHiresOption(text, { maxScale: features.maxHiresScale });
  if (!parsed.ok) return { ok: false, problems: [parsed.problem] };
  const option = parsed.hires;
  const final = hiresTargetSize(params.width, params.height, option);
  const scale =
    option.scale ??
    Math.round(Math.max(final.width / params.width, final.height / params.height) * 100) / 100;
  const problems: Message[] = [];
  if (final.width <= params.width && final.height <= params.height) {
    problems.push(
      msg('refusals.hires.mustEnlarge', {
        finalWidth: final.width,
        finalHeight: final.height,
        width: params.width,
        height: params.height,
      }),
    );
  } else if (scale > features.maxHiresScale) {
    problems.push(msg('refusals.hires.scaleTooHigh', { scale, max: features.maxHiresScale }));
  }
  problems.push(
    ...checkHiresBudget(
      {
        width: params.width,
        height: params.height,
        finalWidth: final.width,
        finalHeight: final.height,
        count: params.count,
      },
      context.pixels,
    ),
  );
  let upscaler = option.upscaler ?? features.hiresUpscaler;
  if (upscaler !== undefined) {
    const wanted = upscaler.toLowerCase();
    const found = context.lists.upscalers.find((name) => name.toLowerCase() === wanted);
    if (found === undefined) {
      const closest = closestNames(upscaler, context.lists.upscalers);
      problems.push(
        closest.length > 0
          ? msg('refusals.upscaler.unknownClosest', { name: echo(upscaler), closest: quote(closest) })
          : msg('refusals.upscaler.unknown', { name: echo(upscaler) }),
      );
    } else upscaler = found;
  }
  if (problems.length > 0) return { ok: false, problems };
  return {
    ok: true,
    value: {
      scale,
      width: final.width,
      height: final.height,
      upscaler,
      denoise: option.denoise ?? features.hiresDenoise,
      steps: option.steps ?? features.hiresSteps,
    },
  };
}
