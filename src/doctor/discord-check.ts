import { z } from 'zod';
import { getJson, type HttpDeps } from './http.js';
import { toInviteUrl } from './invite.js';
import { type CheckLine, fail, info, pass, warn } from './report.js';

const userSchema = z.object({
  id: z.string(),
  username: z.string(),
  discriminator: z.string().optional(),
  bot: z.boolean().optional(),
});

const applicationSchema = z.object({
  id: z.string(),
  name: z.string().optional(),
  bot_public: z.boolean().optional(),
  bot_require_code_grant: z.boolean().optional(),
});

export interface DiscordCheckInput {
  token: string;
  /** `https://discord.com/api`, without the version. */
  apiUrl: string;
  guildId: string | undefined;
}

const USER_AGENT = 'DiscordBot (sd-discord-bot, 0.1.0) doctor';

const PASTE_AGAIN =
  'the token is wrong or was reset; paste it again without spaces into DISCORD_TOKEN (Developer Portal → Bot → Reset Token)';

function describeStatus(status: number, json: unknown): string {
  const message = z.object({ message: z.string() }).safeParse(json);
  return message.success ? `HTTP ${status} "${message.data.message}"` : `HTTP ${status}`;
}

/** Token, application id and the invite URL: the lines of the Discord part of the report. */
export async function checkDiscord(input: DiscordCheckInput, deps: HttpDeps): Promise<CheckLine[]> {
  const headers = { authorization: `Bot ${input.token}`, 'user-agent': USER_AGENT };
  const me = await getJson(`${input.apiUrl}/v10/users/@me`, headers, deps);
  if (!me.ok) {
    return [
      fail(
        `Discord API at ${input.apiUrl} not reachable: ${me.problem}`,
        'check the internet connection, firewall or proxy (DISCORD_API_URL must be https://discord.com/api)',
      ),
    ];
  }
  if (me.status === 401) return [fail('Discord rejected the bot token (401 Unauthorized)', PASTE_AGAIN)];
  if (me.status === 429) {
    return [fail('Discord rate-limited the token check (429)', 'wait a minute, then run the doctor again')];
  }
  const user = userSchema.safeParse(me.json);
  if (me.status !== 200 || !user.success) {
    return [
      fail(
        `Discord answered the token check with ${describeStatus(me.status, me.json)}`,
        me.status >= 500
          ? 'Discord has trouble; try again later'
          : 'check DISCORD_API_URL (https://discord.com/api)',
      ),
    ];
  }
  const lines: CheckLine[] = [];
  if (user.data.bot === false) {
    lines.push(fail(`the token belongs to the user ${user.data.username}, not a bot`, PASTE_AGAIN));
    return lines;
  }
  lines.push(pass(`Discord token valid: logged in as ${user.data.username} (id ${user.data.id})`));

  let applicationId = user.data.id;
  const app = await getJson(`${input.apiUrl}/v10/applications/@me`, headers, deps);
  const application = app.ok && app.status === 200 ? applicationSchema.safeParse(app.json) : undefined;
  if (application?.success === true) {
    applicationId = application.data.id;
    const name = application.data.name === undefined ? '' : ` "${application.data.name}"`;
    lines.push(pass(`Discord application${name}: id ${applicationId}`));
    if (application.data.bot_require_code_grant === true) {
      lines.push(
        warn(
          'the application requires the OAuth2 code grant, so the invite link below fails',
          'turn off "Requires OAuth2 Code Grant" in the Developer Portal → Bot',
        ),
      );
    }
  } else {
    const why = app.ok ? describeStatus(app.status, app.json) : app.problem;
    lines.push(
      warn(
        `could not read the application (${why}); using the bot user id ${applicationId} as application id`,
        'this is right for every application made since 2021; check the link works',
      ),
    );
  }
  lines.push(info(`Invite URL: ${toInviteUrl(applicationId, input.guildId)}`));
  return lines;
}
