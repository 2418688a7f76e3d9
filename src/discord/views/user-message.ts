import { SdError, SdUnsupportedError } from '../../engines/errors.js';
import { DEFAULT_LOCALE, type Locale } from '../../i18n/locales.js';
import { type Message, msg, render } from '../../i18n/translate.js';
import { UserError } from '../../user-error.js';

/**
 * What a server lacks, by the phrase the engines and the error mapping give it (sd/error-mapping.ts
 * `describeRoute`, engines/a1111/engine.ts, engines/comfyui/engine.ts), as a whole sentence per
 * capability so that every language can phrase it its own way.
 */
const CAPABILITY_MESSAGES: Readonly<Record<string, Message>> = {
  'upscale images': msg('delivery.error.unsupportedUpscale'),
  'switch models': msg('delivery.error.unsupportedSwitchModels'),
  'start from an image': msg('delivery.error.unsupportedImg2img'),
  'report progress': msg('delivery.error.unsupportedProgress'),
  'stop a generation': msg('delivery.error.unsupportedInterrupt'),
  'rescan its model folder': msg('delivery.error.unsupportedRescan'),
  'finish this request': msg('delivery.error.unsupportedFinish'),
};

/** `answer /sdapi/v1/…`: a route the server does not have (see `describeRoute`). */
const ANSWER_ROUTE = /^answer (\/\S*)$/;

function toUnsupportedMessage(capability: string): Message {
  const known = CAPABILITY_MESSAGES[capability];
  if (known !== undefined) return known;
  const route = ANSWER_ROUTE.exec(capability)?.[1];
  if (route !== undefined) return msg('delivery.error.unsupportedRoute', { route });
  return msg('delivery.error.unsupportedOther', { capability });
}

/** The error as a message to render: what happened and what to do. */
export function toUserErrorMessage(error: unknown): Message | string {
  if (error instanceof UserError) return error.text ?? error.message;
  if (error instanceof SdError) {
    switch (error.code) {
      case 'unreachable':
        return msg('delivery.error.unreachable');
      case 'timeout':
        return msg('delivery.error.timeout');
      case 'unauthorized':
        return msg('delivery.error.unauthorized');
      case 'api-disabled':
        return msg('delivery.error.apiDisabled');
      case 'invalid-request':
        return msg('delivery.error.invalidRequest');
      case 'out-of-memory':
        return msg('delivery.error.outOfMemory');
      case 'unsupported':
        return error instanceof SdUnsupportedError
          ? toUnsupportedMessage(error.capability)
          : msg('delivery.error.unsupported');
      case 'malformed-response':
        return msg('delivery.error.malformedResponse');
      default:
        return msg('delivery.error.serverFailed');
    }
  }
  return msg('delivery.error.internal');
}

/**
 * Turns any error into one or two plain sentences for a member, in their language: what happened
 * and what to do. Never a stack trace, host name, token or raw status code.
 */
export function toUserMessage(error: unknown, locale: Locale = DEFAULT_LOCALE): string {
  // A refusal of several problems: one line each.
  if (error instanceof UserError && error.texts.length > 1) {
    return error.texts.map((text) => render(text, locale)).join('\n');
  }
  const message = toUserErrorMessage(error);
  return typeof message === 'string' ? message : render(message, locale);
}
