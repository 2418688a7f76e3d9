import { apiErrors } from './api-errors.js';
import { type InteractionState, recordEvent } from './interaction-handle.js';
import { isRecord, validateChoices, validateModal } from './limits.js';
import { snapshotMessage, toApiMessage, writeMessage } from './messages.js';
import { fail, noContent, ok, type RouteRequest, type RouteResult } from './route-types.js';
import { attachmentPath, type FakeState, hostAttachments } from './state.js';
import {
  type ApiError,
  type FakeMessage,
  INTERACTION_RESPONSE_DEADLINE_MS,
  INTERACTION_TOKEN_LIFETIME_MS,
  MESSAGE_FLAG_EPHEMERAL,
  MESSAGE_FLAG_LOADING,
} from './types.js';

/** Callback types each interaction type accepts (6 and 7 on a modal only when it came from a message). */
const ALLOWED_CALLBACKS: Record<number, number[]> = {
  2: [4, 5, 9],
  3: [4, 5, 6, 7, 9],
  4: [8],
  5: [4, 5, 6, 7],
};

/** `POST /interactions/{id}/{token}/callback` — the one initial response, within 3 s. */
export function handleCallback(state: FakeState, req: RouteRequest, id: string, token: string): RouteResult {
  const interaction = state.interactionsByToken.get(token);
  if (!interaction || interaction.id !== id) return fail(apiErrors.unknownInteraction());
  const json = isRecord(req.body.json) ? req.body.json : {};
  const type = typeof json.type === 'number' ? json.type : null;
  const reject = (error: ApiError): RouteResult => rejectRequest(state, interaction, req, error, type);

  if (interaction.acknowledged) return reject(apiErrors.alreadyAcknowledged());
  if (state.now() - interaction.sentAt > INTERACTION_RESPONSE_DEADLINE_MS) {
    return reject(apiErrors.unknownInteraction());
  }
  if (req.body.error) return reject(apiErrors.invalidFormBody('_', 'BODY_INVALID', req.body.error));
  const allowed = ALLOWED_CALLBACKS[interaction.type] ?? [];
  const needsMessage = (type === 6 || type === 7) && interaction.sourceMessageId === null;
  if (type === null || !allowed.includes(type) || needsMessage) {
    return reject(
      apiErrors.invalidFormBody(
        'type',
        'INTERACTION_RESPONSE_TYPE_INVALID',
        `Interaction response type ${String(type)} is not valid for interaction type ${interaction.type}`,
      ),
    );
  }
  const data = isRecord(json.data) ? json.data : {};
  let message: FakeMessage | null = null;
  if (type === 4 || type === 5 || type === 7) {
    const existing = type === 7 ? lookupMessage(state, interaction.sourceMessageId) : undefined;
    if (type === 7 && !existing) return reject(apiErrors.unknownMessage());
    const flags = typeof data.flags === 'number' ? data.flags : 0;
    const written = writeMessage({
      ...writeContext(state, interaction),
      existing,
      data: type === 5 ? { flags: flags & MESSAGE_FLAG_EPHEMERAL } : data,
      files: type === 5 ? [] : req.body.files,
      ...(type === 5 ? { allowEmpty: true, addFlags: MESSAGE_FLAG_LOADING } : {}),
    });
    if (!written.ok) return reject(written.error);
    message = written.message;
  } else if (type === 8) {
    const error = validateChoices(data.choices);
    if (error) return reject(error);
  } else if (type === 9) {
    const error = validateModal(data);
    if (error) return reject(error);
  }

  interaction.acknowledged = true;
  interaction.callbackType = type;
  if (message) {
    storeMessage(state, message);
    interaction.originalId = message.id;
  } else if (type === 6) {
    interaction.originalId = interaction.sourceMessageId;
  }
  const at = state.now();
  recordEvent(interaction, {
    kind: 'callback',
    at,
    delayMs: at - interaction.sentAt,
    type,
    data: isRecord(json.data) ? structuredClone(json.data) : null,
    files: req.body.files,
    message: message ? snapshotMessage(message) : null,
  });
  if (req.query.get('with_response') !== 'true') return noContent();
  const apiMessage = message ? toApiMessage(message, state.botUser, state.applicationId) : undefined;
  return ok({
    interaction: {
      id: interaction.id,
      type: interaction.type,
      activity_instance_id: null,
      response_message_id: message?.id ?? null,
      response_message_loading: type === 5,
      response_message_ephemeral: message ? (message.flags & MESSAGE_FLAG_EPHEMERAL) !== 0 : false,
    },
    ...(type === 6 ? {} : { resource: { type, ...(apiMessage ? { message: apiMessage } : {}) } }),
  });
}

/**
 * `/webhooks/{app}/{token}` (follow-up) and `/webhooks/{app}/{token}/messages/{@original|id}` (GET, PATCH,
 * DELETE). Tokens live 15 minutes on the fake clock.
 */
export function handleWebhook(
  state: FakeState,
  req: RouteRequest,
  applicationId: string,
  token: string,
  messageRef: string | null,
): RouteResult {
  const interaction = state.interactionsByToken.get(token);
  if (!interaction || applicationId !== state.applicationId) return fail(apiErrors.unknownWebhook());
  const reject = (error: ApiError): RouteResult => rejectRequest(state, interaction, req, error, null);
  if (state.now() - interaction.sentAt > INTERACTION_TOKEN_LIFETIME_MS)
    return reject(apiErrors.invalidWebhookToken());
  if (!interaction.acknowledged) return reject(apiErrors.unknownWebhook());
  if (req.body.error) return reject(apiErrors.invalidFormBody('_', 'BODY_INVALID', req.body.error));
  const data = isRecord(req.body.json) ? req.body.json : {};

  if (messageRef === null) {
    if (req.method !== 'POST') return fail(apiErrors.notFound());
    return createFollowUp(state, req, interaction, data, reject);
  }
  const isOriginal = messageRef === '@original';
  const messageId = isOriginal ? interaction.originalId : messageRef;
  const belongs = isOriginal || (messageId !== null && interaction.followUpIds.includes(messageId));
  const message = belongs ? lookupMessage(state, messageId) : undefined;
  if (!message) return reject(apiErrors.unknownMessage());
  const target = isOriginal || message.id === interaction.originalId ? 'original' : 'followup';
  const at = state.now();

  if (req.method === 'GET') return ok(toApiMessage(message, state.botUser, state.applicationId));
  if (req.method === 'DELETE') {
    message.deleted = true;
    recordEvent(interaction, {
      kind: 'delete',
      at,
      delayMs: at - interaction.sentAt,
      target,
      messageId: message.id,
    });
    return noContent();
  }
  if (req.method !== 'PATCH') return fail(apiErrors.notFound());
  const written = writeMessage({
    ...writeContext(state, interaction),
    existing: message,
    data,
    files: req.body.files,
  });
  if (!written.ok) return reject(written.error);
  storeMessage(state, written.message);
  recordEvent(interaction, {
    kind: 'edit',
    at,
    delayMs: at - interaction.sentAt,
    target,
    messageId: message.id,
    data: structuredClone(data),
    files: req.body.files,
    message: snapshotMessage(written.message),
  });
  return ok(toApiMessage(written.message, state.botUser, state.applicationId));
}

function createFollowUp(
  state: FakeState,
  req: RouteRequest,
  interaction: InteractionState,
  data: Record<string, unknown>,
  reject: (error: ApiError) => RouteResult,
): RouteResult {
  const original = lookupMessage(state, interaction.originalId);
  const replacesLoading = original !== undefined && (original.flags & MESSAGE_FLAG_LOADING) !== 0;
  const written = writeMessage({
    ...writeContext(state, interaction),
    existing: replacesLoading ? original : undefined,
    data,
    files: req.body.files,
  });
  if (!written.ok) return reject(written.error);
  storeMessage(state, written.message);
  if (!replacesLoading) interaction.followUpIds.push(written.message.id);
  const at = state.now();
  recordEvent(interaction, {
    kind: 'followup',
    at,
    delayMs: at - interaction.sentAt,
    data: structuredClone(data),
    files: req.body.files,
    message: snapshotMessage(written.message),
    replacedOriginal: replacesLoading,
  });
  return ok(toApiMessage(written.message, state.botUser, state.applicationId));
}

function writeContext(state: FakeState, interaction: InteractionState) {
  return {
    attachmentSizeLimit: interaction.attachmentSizeLimit,
    channelId: interaction.channelId,
    interactionToken: interaction.token,
    nextId: state.nextId,
    now: state.now(),
    host: (channelId: string, attachmentId: string, filename: string) =>
      hostUrls(state, channelId, attachmentId, filename),
  };
}

export function hostUrls(
  state: FakeState,
  channelId: string,
  attachmentId: string,
  filename: string,
): { url: string; proxyUrl: string } {
  const path = attachmentPath(channelId, attachmentId, filename);
  return { url: `${state.baseUrl}${path}`, proxyUrl: `${state.baseUrl}/proxy${path}` };
}

export function storeMessage(state: FakeState, message: FakeMessage): void {
  state.messages.set(message.id, message);
  hostAttachments(state, message);
}

function lookupMessage(state: FakeState, id: string | null): FakeMessage | undefined {
  if (id === null) return undefined;
  const message = state.messages.get(id);
  return message && !message.deleted ? message : undefined;
}

function rejectRequest(
  state: FakeState,
  interaction: InteractionState,
  req: RouteRequest,
  error: ApiError,
  type: number | null,
): RouteResult {
  const at = state.now();
  recordEvent(interaction, {
    kind: 'rejected',
    at,
    delayMs: at - interaction.sentAt,
    method: req.method,
    path: req.path,
    status: error.status,
    code: error.body.code,
    message: error.body.message,
    type,
  });
  return fail(error);
}
