/** ComfyUI's API-format graph: node id → `{class_type, inputs}`; an input is a literal or `[node_id, output]`. */
export type ApiNode = { class_type: string; inputs: Record<string, unknown>; _meta?: { title: string } };
export type ApiGraph = Record<string, ApiNode>;
export type Link = [string, number];

export type ComfyGraphErrorCode = 'missing-input' | 'no-model-loader' | 'invalid-template';

/** A graph that cannot be built or filled from what was given. */
export class ComfyGraphError extends Error {
  readonly code: ComfyGraphErrorCode;
  constructor(code: ComfyGraphErrorCode, message: string) {
    super(message);
    this.name = 'ComfyGraphError';
    this.code = code;
  }
}

export function isLink(value: unknown): value is [string | number, number] {
  return (
    Array.isArray(value) &&
    value.length === 2 &&
    (typeof value[0] === 'string' || typeof value[0] === 'number') &&
    typeof value[1] === 'number'
  );
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Whether `value` has the API-format shape (every entry an object with a string `class_type` and `inputs`). */
export function isApiGraph(value: unknown): value is ApiGraph {
  if (!isRecord(value) || Object.keys(value).length === 0) return false;
  return Object.values(value).every(
    (node) => isRecord(node) && typeof node.class_type === 'string' && isRecord(node.inputs),
  );
}

/** The next free integer node id, above every integer id in use. */
export function nextNodeId(graph: ApiGraph): number {
  let max = 0;
  for (const id of Object.keys(graph)) {
    if (/^\d+$/.test(id)) max = Math.max(max, Number(id));
  }
  return max + 1;
}
