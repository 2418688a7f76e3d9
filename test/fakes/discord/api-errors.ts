import type { ApiError } from './types.js';

/** The error bodies real Discord sends, paired with the HTTP status the fake answers with. */
export const apiErrors = {
  unauthorized: (): ApiError => ({ status: 401, body: { message: '401: Unauthorized', code: 0 } }),
  unknownChannel: (): ApiError => ({ status: 404, body: { message: 'Unknown Channel', code: 10003 } }),
  unknownMessage: (): ApiError => ({ status: 404, body: { message: 'Unknown Message', code: 10008 } }),
  unknownWebhook: (): ApiError => ({ status: 404, body: { message: 'Unknown Webhook', code: 10015 } }),
  unknownInteraction: (): ApiError => ({
    status: 404,
    body: { message: 'Unknown interaction', code: 10062 },
  }),
  unknownCommand: (): ApiError => ({
    status: 404,
    body: { message: 'Unknown application command', code: 10063 },
  }),
  tooManyAttachments: (): ApiError => ({
    status: 400,
    body: { message: 'Maximum number of attachments in a message reached (10)', code: 30015 },
  }),
  entityTooLarge: (): ApiError => ({
    status: 413,
    body: { message: 'Request entity too large', code: 40005 },
  }),
  alreadyAcknowledged: (): ApiError => ({
    status: 400,
    body: { message: 'Interaction has already been acknowledged.', code: 40060 },
  }),
  emptyMessage: (): ApiError => ({
    status: 400,
    body: { message: 'Cannot send an empty message', code: 50006 },
  }),
  cannotDmUser: (): ApiError => ({
    status: 403,
    body: { message: 'Cannot send messages to this user', code: 50007 },
  }),
  missingPermissions: (): ApiError => ({
    status: 403,
    body: { message: 'Missing Permissions', code: 50013 },
  }),
  invalidWebhookToken: (): ApiError => ({
    status: 401,
    body: { message: 'Invalid Webhook Token', code: 50027 },
  }),
  notFound: (): ApiError => ({ status: 404, body: { message: '404: Not Found', code: 0 } }),
  /** 400 code 50035 with Discord's nested `errors` shape: `{ path: { _errors: [{ code, message }] } }`. */
  invalidFormBody: (path: string, code: string, message: string): ApiError => ({
    status: 400,
    body: {
      message: 'Invalid Form Body',
      code: 50035,
      errors: toNestedErrors(path.split('.'), { _errors: [{ code, message }] }),
    },
  }),
};

function toNestedErrors(path: string[], leaf: Record<string, unknown>): Record<string, unknown> {
  const [head, ...rest] = path;
  if (head === undefined) return leaf;
  return { [head]: toNestedErrors(rest, leaf) };
}
