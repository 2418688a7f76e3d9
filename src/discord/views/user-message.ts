import { SdError, SdUnsupportedError } from '../../engines/errors.js';
import { DEFAULT_LOCALE, type Locale } from '../../i18n/locales.js';
import { render } from '../../i18n/translate.js';
import { UserError } from '../../user-error.js';

/**
 * Turns any error into one or two plain sentences for a member: what happened and what to do.
 * Never a stack trace, host name, token or raw status code.
 */
export function toUserMessage(error: unknown, locale: Locale = DEFAULT_LOCALE): string {
  if (error instanceof UserError)
    return error.texts.length === 0
      ? error.message
      : error.texts.map((text) => render(text, locale)).join('\n');
  if (error instanceof SdError) {
    switch (error.code) {
      case 'unreachable':
        return 'The image server is not reachable right now. Try again in a minute; if it keeps happening, tell the bot operator.';
      case 'timeout':
        return 'The image server took too long to answer. Try again with fewer steps or a smaller size.';
      case 'unauthorized':
        return 'The image server refused the bot’s credentials. The bot operator needs to check SD_API_USERNAME and SD_API_PASSWORD.';
      case 'api-disabled':
        return 'The image server’s API is not enabled. The bot operator needs to start the WebUI with --api.';
      case 'invalid-request':
        return 'The image server rejected the request as invalid. Check the options and try again.';
      case 'out-of-memory':
        return 'The image server ran out of GPU memory. Try a smaller size or fewer images.';
      case 'unsupported':
        return error instanceof SdUnsupportedError
          ? `The image server cannot ${error.capability}. Ask the bot operator if another server can.`
          : 'The image server cannot do that.';
      case 'malformed-response':
        return 'The image server sent an answer the bot could not read. Try again; if it keeps happening, tell the bot operator.';
      default:
        return 'The image server failed while making your image. Try again in a moment.';
    }
  }
  return 'Something went wrong on our side. Try again in a moment.';
}
