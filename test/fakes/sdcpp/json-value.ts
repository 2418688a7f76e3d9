/**
 * nlohmann::json's `j.value(key, default)` as sd-server uses it: a missing key gives the default,
 * a present key must convert to the default's type or the call throws, and sd-server turns the
 * exception into `500 {"error":"server_error","message":"[json.exception…]"}`. A JSON `null`
 * converts to nothing, so `"steps": null` throws too; numbers and booleans convert to each other.
 */

export class NlohmannError extends Error {
  override readonly name = 'NlohmannError';
}

type Kind = 'null' | 'object' | 'array' | 'string' | 'boolean' | 'number';

export function kindOf(value: unknown): Kind {
  if (value === null || value === undefined) {
    return 'null';
  }
  if (Array.isArray(value)) {
    return 'array';
  }
  switch (typeof value) {
    case 'string':
      return 'string';
    case 'boolean':
      return 'boolean';
    case 'number':
      return 'number';
    default:
      return 'object';
  }
}

function typeError(expected: 'number' | 'string' | 'boolean', actual: unknown): NlohmannError {
  return new NlohmannError(
    `[json.exception.type_error.302] type must be ${expected}, but is ${kindOf(actual)}`,
  );
}

/** Reads typed fields of one JSON object the way `j.value(key, default)` does. */
export interface JsonReader {
  has(key: string): boolean;
  raw(key: string): unknown;
  string(key: string, fallback: string): string;
  /** `value<float>`: any number, or a boolean as 0/1. */
  number(key: string, fallback: number): number;
  /** `value<int>`: like `number`, truncated toward zero. */
  integer(key: string, fallback: number): number;
  boolean(key: string, fallback: boolean): boolean;
}

/** Throws type_error.306 when `value` is not an object, as `value()` does on one. */
export function readerOf(value: unknown): JsonReader {
  const kind = kindOf(value);
  if (kind !== 'object') {
    throw new NlohmannError(`[json.exception.type_error.306] cannot use value() with ${kind}`);
  }
  const object = value as Record<string, unknown>;
  const has = (key: string): boolean => Object.hasOwn(object, key);
  const number = (key: string, fallback: number): number => {
    if (!has(key)) {
      return fallback;
    }
    const field = object[key];
    if (typeof field === 'number') {
      return field;
    }
    if (typeof field === 'boolean') {
      return field ? 1 : 0;
    }
    throw typeError('number', field);
  };
  return {
    has,
    raw: (key) => object[key],
    string(key, fallback) {
      if (!has(key)) {
        return fallback;
      }
      const field = object[key];
      if (typeof field !== 'string') {
        throw typeError('string', field);
      }
      return field;
    },
    number,
    integer: (key, fallback) => Math.trunc(number(key, fallback)),
    boolean(key, fallback) {
      if (!has(key)) {
        return fallback;
      }
      const field = object[key];
      if (typeof field !== 'boolean') {
        throw typeError('boolean', field);
      }
      return field;
    },
  };
}

/** `json::parse` on text that is not JSON, in nlohmann's words (the position is approximate). */
export function parseErrorMessage(text: string, error: unknown): string {
  const detail = error instanceof Error ? error.message : String(error);
  const last = text.slice(0, 16);
  return (
    `[json.exception.parse_error.101] parse error at line 1, column 1: syntax error while parsing value - ` +
    `invalid literal; last read: '${last}' (${detail})`
  );
}

/** Parses like `json::parse`; throws `NlohmannError` with nlohmann's message. */
export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (error: unknown) {
    throw new NlohmannError(parseErrorMessage(text, error));
  }
}
