import { type Config, ConfigError, type Env, parseConfig } from './config.js';

/** The value of `Authorization: Basic …` for these credentials. */
const basicValue = (username: string | undefined, password: string) =>
  Buffer.from(`${username ?? ''}:${password}`, 'utf8').toString('base64');

const unique = (values: readonly string[]) => [...new Set(values.filter((value) => value.length > 0))];

/**
 * Every secret in the configuration, as it may appear in text: the Discord token, each backend's
 * password (also URL-encoded, as typed into SD_API_URL) and the Basic header value built from
 * user:pass, the DATABASE_URL password. The one list the logger and the start-up failure message mask; a future bearer token
 * or API key belongs here too.
 */
export function secretsOf(config: Config): string[] {
  return unique([
    config.discord.token,
    ...databasePasswords(config.databaseUrl),
    ...config.backends.flatMap((backend) =>
      backend.password === undefined
        ? []
        : [
            backend.password,
            encodeURIComponent(backend.password),
            basicValue(backend.username, backend.password),
          ],
    ),
  ]);
}

/** The password inside DATABASE_URL, as typed (URL-encoded) and decoded. */
function databasePasswords(url: string | undefined): string[] {
  const password = credentialsInUrls(url)[0]?.password ?? '';
  return password === '' ? [] : [password, decoded(password)];
}

/** `user:pass` of each SD_API_URL entry, read by hand: an entry that is not a valid URL may still hold one. */
function credentialsInUrls(raw: string | undefined): { username: string; password: string }[] {
  return (raw ?? '').split(',').flatMap((entry) => {
    const userinfo = /^\s*[a-z][a-z0-9+.-]*:\/\/([^/?#\s]*)@/i.exec(entry)?.[1];
    const colon = userinfo?.indexOf(':') ?? -1;
    if (userinfo === undefined || colon < 0) return [];
    return [{ username: userinfo.slice(0, colon), password: userinfo.slice(colon + 1) }];
  });
}

function decoded(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/**
 * The secrets to mask in a start-up failure: those of the parsed configuration, or, when it does not
 * parse, the raw values of DISCORD_TOKEN, SD_API_PASSWORD and the passwords inside SD_API_URL.
 */
export function secretsOfEnv(env: Env): string[] {
  try {
    return secretsOf(parseConfig(env));
  } catch (error: unknown) {
    if (!(error instanceof ConfigError)) throw error;
  }
  const password = env.SD_API_PASSWORD ?? '';
  return unique([
    env.DISCORD_TOKEN ?? '',
    (env.DISCORD_TOKEN ?? '').trim(),
    password,
    password === '' ? '' : basicValue(env.SD_API_USERNAME, password),
    ...databasePasswords(env.DATABASE_URL),
    ...credentialsInUrls(env.SD_API_URL).flatMap(({ username, password: inUrl }) =>
      inUrl === '' ? [] : [inUrl, decoded(inUrl), basicValue(decoded(username), decoded(inUrl))],
    ),
  ]);
}
