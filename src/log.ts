import { type DestinationStream, type Logger, pino } from 'pino';

export type { Logger };

/** Keys whose values never reach a log line, wherever they sit in the logged object. */
const REDACT_PATHS = [
  'token',
  '*.token',
  'password',
  '*.password',
  'authorization',
  '*.authorization',
  'headers.authorization',
  '*.headers.authorization',
  'config.discord.token',
  'interactionToken',
  '*.interactionToken',
];

/**
 * Masks secrets inside free text: `user:pass@` in URLs, `Basic …`/`Bot …` credentials and any of the
 * given literal secrets. Used for error messages and causes, which pino's path redaction cannot see.
 */
export function redactText(text: string, secrets: readonly string[] = []): string {
  let out = text
    .replace(/(\b[a-z][a-z0-9+.-]*:\/\/)[^/\s:@]*:[^/\s@]*@/gi, '$1***:***@')
    .replace(/\b(Basic|Bot|Bearer)\s+[A-Za-z0-9._~+/=-]{6,}/g, '$1 ***');
  for (const secret of secrets) {
    if (secret.length >= 4) out = out.split(secret).join('***');
  }
  return out;
}

export interface LogOptions {
  level: string;
  pretty?: boolean;
  /** Literal secrets (token, passwords) masked in every serialised error. */
  secrets?: readonly string[];
  destination?: DestinationStream;
}

/** Serialises an error and its causes with every secret masked. */
function serializeError(error: unknown, secrets: readonly string[], depth = 0): unknown {
  if (!(error instanceof Error)) return redactText(String(error), secrets);
  const out: Record<string, unknown> = {
    type: error.name,
    message: redactText(error.message, secrets),
  };
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' || typeof code === 'number') out.code = code;
  if (error.stack !== undefined) out.stack = redactText(error.stack, secrets);
  if (error.cause !== undefined && depth < 4) out.cause = serializeError(error.cause, secrets, depth + 1);
  return out;
}

export function createLogger(options: LogOptions): Logger {
  const secrets = options.secrets ?? [];
  const base = {
    level: options.level,
    redact: { paths: REDACT_PATHS, censor: '***' },
    serializers: {
      err: (error: unknown) => serializeError(error, secrets),
      error: (error: unknown) => serializeError(error, secrets),
    },
    hooks: {
      logMethod(this: Logger, args: Parameters<Logger['info']>, method: (...a: unknown[]) => void) {
        method.apply(
          this,
          args.map((arg) => (typeof arg === 'string' ? redactText(arg, secrets) : arg)),
        );
      },
    },
  };
  if (options.destination !== undefined) return pino(base, options.destination);
  if (options.pretty) {
    return pino({ ...base, transport: { target: 'pino-pretty', options: { colorize: true } } });
  }
  return pino(base);
}
