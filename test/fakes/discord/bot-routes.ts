import { apiErrors } from './api-errors.js';
import { hostUrls, storeMessage } from './interaction-routes.js';
import { isRecord, toRecords } from './limits.js';
import { toApiMessage, writeMessage } from './messages.js';
import { fail, noContent, ok, type RouteRequest, type RouteResult } from './route-types.js';
import { type FakeState, findDmChannel, findGuildChannel, type StoredCommand } from './state.js';
import { type ApiError, DEFAULT_ATTACHMENT_SIZE_LIMIT, type FakeUser } from './types.js';

const COMMAND_NAME = /^[-_'\p{L}\p{N}\p{sc=Deva}\p{sc=Thai}]{1,32}$/u;
const MAX_COMMANDS = 100;

/** Routes that need `Authorization: Bot <token>` (everything except interaction callbacks and webhooks). */
export function handleBotRoute(state: FakeState, req: RouteRequest, gatewayUrl: string): RouteResult {
  if (!req.authorized) return fail(apiErrors.unauthorized());
  const [first, second, third, fourth, fifth] = req.segments;
  const { method } = req;
  if (first === 'gateway' && second === 'bot' && method === 'GET') {
    return ok({
      url: gatewayUrl,
      shards: 1,
      session_start_limit: { total: 1000, remaining: 999, reset_after: 14_400_000, max_concurrency: 1 },
    });
  }
  if (first === 'users' && second === '@me' && third === undefined && method === 'GET') {
    return ok({ ...state.botUser, verified: true, mfa_enabled: false, flags: 0, email: null });
  }
  if (first === 'users' && second === '@me' && third === 'channels' && method === 'POST')
    return createDm(state, req);
  if (first === 'users' && second !== undefined && third === undefined && method === 'GET') {
    const user = state.users.get(second);
    return user ? ok(user) : fail({ status: 404, body: { message: 'Unknown User', code: 10013 } });
  }
  if (first === 'applications' && second === '@me' && third === undefined && method === 'GET') {
    return ok(applicationJson(state));
  }
  if (first === 'applications' && second !== undefined) {
    if (second !== state.applicationId && second !== '@me') return fail(apiErrors.notFound());
    if (third === 'commands') return handleCommands(state, req, null, fourth);
    if (third === 'guilds' && fourth !== undefined && fifth === 'commands') {
      if (!state.guilds.some((guild) => guild.id === fourth)) {
        return fail({ status: 404, body: { message: 'Unknown Guild', code: 10004 } });
      }
      return handleCommands(state, req, fourth, req.segments[5]);
    }
  }
  if (first === 'channels' && second !== undefined) return handleChannel(state, req, second, third, fourth);
  return fail(apiErrors.notFound());
}

function applicationJson(state: FakeState): Record<string, unknown> {
  return {
    id: state.applicationId,
    name: state.botUser.username,
    icon: null,
    description: '',
    summary: '',
    type: null,
    bot_public: true,
    bot_require_code_grant: false,
    verify_key: 'f'.repeat(64),
    flags: 0,
    team: null,
    owner: state.defaultUser,
    bot: state.botUser,
    approximate_guild_count: state.guilds.length,
    redirect_uris: [],
    interactions_endpoint_url: null,
    install_params: { scopes: ['bot', 'applications.commands'], permissions: '379904' },
  };
}

function commandList(state: FakeState, guildId: string | null): StoredCommand[] {
  if (guildId === null) return state.commands.global;
  return state.commands.guilds.get(guildId) ?? [];
}

function setCommandList(state: FakeState, guildId: string | null, list: StoredCommand[]): void {
  if (guildId === null) state.commands.global = list;
  else state.commands.guilds.set(guildId, list);
}

function handleCommands(
  state: FakeState,
  req: RouteRequest,
  guildId: string | null,
  commandId: string | undefined,
): RouteResult {
  const current = commandList(state, guildId);
  if (commandId === undefined) {
    if (req.method === 'GET') return ok(current);
    if (req.method === 'PUT') {
      state.registrationCalls += 1;
      if (!Array.isArray(req.body.json)) {
        return fail(apiErrors.invalidFormBody('_', 'BASE_TYPE_ARRAY', 'Must be an array of commands.'));
      }
      if (req.body.json.length > MAX_COMMANDS) {
        return fail({
          status: 400,
          body: { message: 'Maximum number of application commands reached (100)', code: 30032 },
        });
      }
      const next: StoredCommand[] = [];
      for (const [index, body] of req.body.json.entries()) {
        const stored = toStoredCommand(state, body, current, guildId, `${index}.`);
        if ('error' in stored) return fail(stored.error);
        next.push(stored.command);
      }
      setCommandList(state, guildId, next);
      return ok(next);
    }
    if (req.method === 'POST') {
      state.registrationCalls += 1;
      const stored = toStoredCommand(state, req.body.json, current, guildId, '');
      if ('error' in stored) return fail(stored.error);
      const rest = current.filter((command) => command.id !== stored.command.id);
      setCommandList(state, guildId, [...rest, stored.command]);
      return { status: rest.length === current.length ? 201 : 200, body: stored.command };
    }
    return fail(apiErrors.notFound());
  }
  const existing = current.find((command) => command.id === commandId);
  if (!existing) return fail(apiErrors.unknownCommand());
  if (req.method === 'GET') return ok(existing);
  if (req.method === 'DELETE') {
    state.registrationCalls += 1;
    setCommandList(
      state,
      guildId,
      current.filter((command) => command.id !== commandId),
    );
    return noContent();
  }
  if (req.method === 'PATCH') {
    state.registrationCalls += 1;
    const merged = { ...existing, ...(isRecord(req.body.json) ? req.body.json : {}) };
    const stored = toStoredCommand(state, merged, current, guildId, '');
    if ('error' in stored) return fail(stored.error);
    setCommandList(
      state,
      guildId,
      current.map((command) => (command.id === commandId ? stored.command : command)),
    );
    return ok(stored.command);
  }
  return fail(apiErrors.notFound());
}

function toStoredCommand(
  state: FakeState,
  body: unknown,
  current: StoredCommand[],
  guildId: string | null,
  path: string,
): { command: StoredCommand } | { error: ApiError } {
  if (!isRecord(body))
    return { error: apiErrors.invalidFormBody(`${path}_`, 'MODEL_TYPE_CONVERT', 'Bad command.') };
  const type = typeof body.type === 'number' ? body.type : 1;
  const name = typeof body.name === 'string' ? body.name : '';
  const nameOk = COMMAND_NAME.test(name) && (type !== 1 || name === name.toLowerCase());
  if (!nameOk) {
    return {
      error: apiErrors.invalidFormBody(
        `${path}name`,
        'APPLICATION_COMMAND_INVALID_NAME',
        'Command name is invalid',
      ),
    };
  }
  const description = typeof body.description === 'string' ? body.description : '';
  if (type === 1 && (description.length < 1 || description.length > 100)) {
    return {
      error: apiErrors.invalidFormBody(
        `${path}description`,
        'BASE_TYPE_BAD_LENGTH',
        'Must be between 1 and 100 in length.',
      ),
    };
  }
  if (toRecords(body.options).length > 25) {
    return {
      error: apiErrors.invalidFormBody(
        `${path}options`,
        'BASE_TYPE_MAX_LENGTH',
        'Must be 25 or fewer in length.',
      ),
    };
  }
  const previous = current.find((command) => command.name === name && command.type === type);
  return {
    command: {
      name_localizations: null,
      description_localizations: null,
      options: [],
      default_member_permissions: null,
      dm_permission: true,
      contexts: null,
      integration_types: [0],
      nsfw: false,
      ...body,
      id: previous?.id ?? state.nextId(),
      application_id: state.applicationId,
      version: state.nextId(),
      type,
      name,
      description,
      ...(guildId === null ? {} : { guild_id: guildId }),
    },
  };
}

function createDm(state: FakeState, req: RouteRequest): RouteResult {
  const body = isRecord(req.body.json) ? req.body.json : {};
  const userId = typeof body.recipient_id === 'string' ? body.recipient_id : null;
  if (userId === null) {
    return fail(apiErrors.invalidFormBody('recipient_id', 'BASE_TYPE_REQUIRED', 'This field is required'));
  }
  let dm = state.dmChannels.get(userId);
  if (!dm) {
    dm = { id: state.nextId(), userId };
    state.dmChannels.set(userId, dm);
  }
  const user: FakeUser = state.users.get(userId) ?? {
    id: userId,
    username: `user-${userId.slice(-4)}`,
    global_name: null,
    discriminator: '0',
    avatar: null,
  };
  return ok({ id: dm.id, type: 1, last_message_id: null, flags: 0, recipients: [user] });
}

function handleChannel(
  state: FakeState,
  req: RouteRequest,
  channelId: string,
  sub: string | undefined,
  messageId: string | undefined,
): RouteResult {
  const guildChannel = findGuildChannel(state, channelId);
  const dm = guildChannel ? undefined : findDmChannel(state, channelId);
  if (!guildChannel && !dm) return fail(apiErrors.unknownChannel());
  if (sub === undefined && req.method === 'GET') {
    if (dm)
      return ok({
        id: dm.id,
        type: 1,
        last_message_id: null,
        flags: 0,
        recipients: [state.users.get(dm.userId)],
      });
    return ok({
      ...guildChannel?.channel,
      guild_id: guildChannel?.guild.id,
      permission_overwrites: [],
      position: 0,
    });
  }
  if (sub !== 'messages') return fail(apiErrors.notFound());
  if (messageId === undefined) {
    if (req.method !== 'POST') return fail(apiErrors.notFound());
    if (guildChannel && (guildChannel.channel.postable === false || state.blockedChannels.has(channelId))) {
      return fail(apiErrors.missingPermissions());
    }
    if (dm && state.blockedDmUsers.has(dm.userId)) return fail(apiErrors.cannotDmUser());
    if (req.body.error) return fail(apiErrors.invalidFormBody('_', 'BODY_INVALID', req.body.error));
    const written = writeMessage({
      existing: undefined,
      data: isRecord(req.body.json) ? req.body.json : {},
      files: req.body.files,
      attachmentSizeLimit: DEFAULT_ATTACHMENT_SIZE_LIMIT,
      channelId,
      interactionToken: null,
      nextId: state.nextId,
      now: state.now(),
      host: (channel, attachmentId, filename) => hostUrls(state, channel, attachmentId, filename),
    });
    if (!written.ok) return fail(written.error);
    storeMessage(state, written.message);
    state.emitter.emit('message', written.message);
    return ok(toApiMessage(written.message, state.botUser, null));
  }
  const message = state.messages.get(messageId);
  if (!message || message.deleted || message.channelId !== channelId) return fail(apiErrors.unknownMessage());
  if (req.method === 'GET') return ok(toApiMessage(message, state.botUser, null));
  if (req.method === 'DELETE') {
    message.deleted = true;
    return noContent();
  }
  if (req.method === 'PATCH') {
    const written = writeMessage({
      existing: message,
      data: isRecord(req.body.json) ? req.body.json : {},
      files: req.body.files,
      attachmentSizeLimit: DEFAULT_ATTACHMENT_SIZE_LIMIT,
      channelId,
      interactionToken: null,
      nextId: state.nextId,
      now: state.now(),
      host: (channel, attachmentId, filename) => hostUrls(state, channel, attachmentId, filename),
    });
    if (!written.ok) return fail(written.error);
    storeMessage(state, written.message);
    state.emitter.emit('messageUpdate', written.message);
    return ok(toApiMessage(written.message, state.botUser, null));
  }
  return fail(apiErrors.notFound());
}
