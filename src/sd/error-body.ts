/**
 * Pure parsing of WebUI error bodies. Shapes seen in the wild:
 * - A1111: `{error, detail, body, errors}` (`errors` = `str(exception)`)
 * - Forge: `{detail}` for HTTP exceptions, `{error, detail, body, message}` for others
 * - SD.Next: `{error, code, detail, body, errors}`, or a bare JSON string (TypeError), or `{error: "<text>"}`
 * - FastAPI 422: `{detail: [{loc, msg, type}]}` (pydantic v1) or `{detail: [{type, loc, msg, input}]}` (v2)
 */

export interface ValidationIssue {
  loc: Array<string | number>;
  /** `loc` without its `body` prefix, joined with dots (`override_settings.CLIP_stop_at_last_layers`). */
  field: string | null;
  message: string;
  type: string | null;
}

export interface ParsedErrorBody {
  status: number;
  /** The exception class the server named (`RuntimeError`, `OutOfMemoryError`, `HTTPException`), if any. */
  errorType: string | null;
  /** The most useful text for a log line; never empty. */
  message: string;
  /** Validation issues of a FastAPI 422 answer. */
  issues: ValidationIssue[];
  /** The field of the first validation issue. */
  field: string | null;
  /** FastAPI's answer for a route that does not exist: 404 `{"detail":"Not Found"}`. */
  routeNotFound: boolean;
}

const MAX_MESSAGE_LENGTH = 500;
const LOCATION_ROOTS = new Set(['body', 'query', 'path', 'header']);
const EXCEPTION_NAME = /^[A-Za-z_][\w.]*$/;

export function parseErrorBody(status: number, bodyText: string): ParsedErrorBody {
  const json = parseJson(bodyText);
  const fallback = truncate(bodyText.trim()) || `HTTP ${status}`;
  const base: ParsedErrorBody = {
    status,
    errorType: null,
    message: fallback,
    issues: [],
    field: null,
    routeNotFound: false,
  };
  if (json === undefined) {
    return base;
  }
  if (typeof json === 'string') {
    return { ...base, message: truncate(json.trim()) || fallback };
  }
  if (!isRecord(json)) {
    return base;
  }

  const issues = Array.isArray(json.detail) ? json.detail.flatMap(toIssue) : [];
  const detail = textOf(json.detail);
  const errorField = textOf(json.error);
  const errorType = errorField !== null && EXCEPTION_NAME.test(errorField) ? errorField : null;
  // SD.Next sometimes puts the sentence itself in `error` (`{"error":"Init image is none"}`).
  const errorSentence = errorField !== null && errorType === null ? errorField : null;
  const message =
    issues.length > 0
      ? issues.map((issue) => (issue.field ? `${issue.field}: ${issue.message}` : issue.message)).join('; ')
      : (firstText(
          Array.isArray(json.detail) ? null : detail,
          textOf(json.errors),
          textOf(json.message),
          errorSentence,
          textOf(json.body),
          errorType,
        ) ?? fallback);

  return {
    status,
    errorType,
    message: truncate(message),
    issues,
    field: issues[0]?.field ?? null,
    routeNotFound: status === 404 && detail === 'Not Found',
  };
}

/** `["body","override_settings","x"]` → `override_settings.x`; a JSON-decode position (`["body", 12]`) → null. */
export function toFieldName(loc: ReadonlyArray<string | number>): string | null {
  const parts = loc[0] !== undefined && LOCATION_ROOTS.has(String(loc[0])) ? loc.slice(1) : loc.slice();
  if (parts.length === 0 || typeof parts[0] === 'number') {
    return null;
  }
  return parts.map(String).join('.');
}

function toIssue(value: unknown): ValidationIssue[] {
  if (!isRecord(value)) {
    return [];
  }
  const loc = Array.isArray(value.loc)
    ? value.loc.filter(
        (part): part is string | number => typeof part === 'string' || typeof part === 'number',
      )
    : [];
  const message = textOf(value.msg) ?? 'invalid value';
  return [{ loc, field: toFieldName(loc), message, type: textOf(value.type) }];
}

function parseJson(text: string): unknown {
  if (text.trim() === '') {
    return undefined;
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (error: unknown) {
    if (error instanceof SyntaxError) {
      return undefined;
    }
    throw error;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A non-empty trimmed string, a stringified number/object, or null. */
function textOf(value: unknown): string | null {
  if (typeof value === 'string') {
    const trimmed = value.trim();
    return trimmed === '' ? null : trimmed;
  }
  if (typeof value === 'number' || typeof value === 'boolean') {
    return String(value);
  }
  if (value !== null && typeof value === 'object') {
    return JSON.stringify(value);
  }
  return null;
}

function firstText(...candidates: Array<string | null>): string | null {
  return candidates.find((candidate) => candidate !== null) ?? null;
}

function truncate(text: string): string {
  return text.length > MAX_MESSAGE_LENGTH ? `${text.slice(0, MAX_MESSAGE_LENGTH)}…` : text;
}
