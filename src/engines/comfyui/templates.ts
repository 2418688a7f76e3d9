/**
 * Operator graphs: an API-format graph exported from ComfyUI with `{{placeholder}}` strings where the
 * bot fills in the job's values. Placeholders survive a re-export better than a map of node ids.
 */
import { type ApiGraph, ComfyGraphError, isApiGraph } from './api-graph.js';

export const PLACEHOLDERS = [
  'prompt',
  'negative_prompt',
  'seed',
  'steps',
  'cfg',
  'width',
  'height',
  'sampler',
  'scheduler',
  'checkpoint',
  'batch',
  'image',
  'denoise',
] as const;

export type Placeholder = (typeof PLACEHOLDERS)[number];

const PLACEHOLDER_PATTERN = /\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/g;
const WHOLE_PATTERN = /^\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}$/;

function isPlaceholder(name: string): name is Placeholder {
  return (PLACEHOLDERS as readonly string[]).includes(name);
}

type Values = Partial<Record<Placeholder, string | number>>;

function fillValue(value: unknown, values: Values): unknown {
  if (typeof value === 'string') {
    const whole = WHOLE_PATTERN.exec(value);
    const name = whole?.[1];
    if (name !== undefined && isPlaceholder(name)) {
      const filled = values[name];
      return filled === undefined ? value : filled;
    }
    return value.replace(PLACEHOLDER_PATTERN, (match, found: string) => {
      const filled = isPlaceholder(found) ? values[found] : undefined;
      return filled === undefined ? match : String(filled);
    });
  }
  if (Array.isArray(value)) return value.map((item) => fillValue(item, values));
  if (typeof value === 'object' && value !== null) {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) out[key] = fillValue(item, values);
    return out;
  }
  return value;
}

/**
 * Fills placeholders: a string that is exactly `"{{seed}}"` becomes the value itself (a number stays a
 * number); inside a longer string the value is substituted as text. Placeholders without a value stay.
 */
export function fillOperatorGraph(template: unknown, values: Values): ApiGraph {
  const filled = fillValue(template, values);
  if (!isApiGraph(filled)) {
    throw new ComfyGraphError('invalid-template', 'the operator graph is not in ComfyUI API format');
  }
  return filled;
}

function collectPlaceholders(value: unknown, found: Set<string>): void {
  if (typeof value === 'string') {
    for (const match of value.matchAll(PLACEHOLDER_PATTERN)) {
      if (match[1] !== undefined) found.add(match[1]);
    }
  } else if (Array.isArray(value)) {
    for (const item of value) collectPlaceholders(item, found);
  } else if (typeof value === 'object' && value !== null) {
    for (const item of Object.values(value)) collectPlaceholders(item, found);
  }
}

export type ParsedOperatorGraph =
  | { ok: true; template: unknown; placeholders: Placeholder[] }
  | { ok: false; problem: string };

/** Checks an operator's graph file: JSON, API format (not the UI format), known placeholders, a `{{prompt}}`. */
export function parseOperatorGraph(name: string, json: string): ParsedOperatorGraph {
  let template: unknown;
  try {
    template = JSON.parse(json);
  } catch (error: unknown) {
    const reason = error instanceof Error ? error.message : String(error);
    return { ok: false, problem: `Graph "${name}" is not valid JSON (${reason}).` };
  }
  if (
    typeof template === 'object' &&
    template !== null &&
    Array.isArray((template as { nodes?: unknown }).nodes) &&
    'links' in template
  ) {
    return {
      ok: false,
      problem: `Graph "${name}" is a ComfyUI workflow in UI format; export it with "Export (API)" instead.`,
    };
  }
  if (!isApiGraph(template)) {
    return {
      ok: false,
      problem: `Graph "${name}" is not in ComfyUI API format (an object of nodes, each with class_type and inputs).`,
    };
  }
  const found = new Set<string>();
  collectPlaceholders(template, found);
  const unknown = [...found].filter((placeholder) => !isPlaceholder(placeholder));
  if (unknown.length > 0) {
    return {
      ok: false,
      problem: `Graph "${name}" uses unknown placeholder${unknown.length > 1 ? 's' : ''} ${unknown
        .map((placeholder) => `{{${placeholder}}}`)
        .join(', ')}; known ones are ${PLACEHOLDERS.map((placeholder) => `{{${placeholder}}}`).join(', ')}.`,
    };
  }
  if (!found.has('prompt')) {
    return {
      ok: false,
      problem: `Graph "${name}" has no {{prompt}} placeholder, so the member's prompt would be ignored.`,
    };
  }
  return { ok: true, template, placeholders: PLACEHOLDERS.filter((placeholder) => found.has(placeholder)) };
}
