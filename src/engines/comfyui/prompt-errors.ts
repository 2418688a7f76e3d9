/**
 * A 400 answer of POST /prompt (ComfyUI's validation body: `error` and `node_errors`) as one plain
 * sentence naming the node and the input.
 */
import { z } from 'zod';
import type { ApiGraph } from './api-graph.js';

const errorEntry = z
  .object({
    type: z.string().catch(''),
    message: z.string().catch(''),
    details: z.string().catch(''),
    extra_info: z.record(z.string(), z.unknown()).catch({}),
  })
  .loose();

const validationBody = z.object({
  error: z.union([errorEntry, z.string()]).optional(),
  node_errors: z
    .record(
      z.string(),
      z.object({ errors: z.array(errorEntry).catch([]), class_type: z.string().catch('') }).loose(),
    )
    .catch({}),
});

type ErrorEntry = z.output<typeof errorEntry>;

function show(value: unknown): string {
  return typeof value === 'string' ? `"${value}"` : (JSON.stringify(value) ?? String(value));
}

function describeNodeError(error: ErrorEntry): string {
  const input = typeof error.extra_info.input_name === 'string' ? error.extra_info.input_name : null;
  const received = error.extra_info.received_value;
  const on = input === null ? '' : ` input "${input}"`;
  switch (error.type) {
    case 'required_input_missing':
      return `is missing its required input "${input ?? error.details}"`;
    case 'value_not_in_list':
      return `has${on} set to ${show(received)}, which the server does not offer`;
    case 'value_smaller_than_min':
    case 'value_bigger_than_max': {
      const bound = /(min|max) of (\S+)/.exec(error.message);
      const limit = bound === null ? '' : ` (${bound[1] === 'min' ? 'minimum' : 'maximum'} ${bound[2]})`;
      return `has${on} set to ${show(received)}, ${error.type === 'value_smaller_than_min' ? 'below' : 'above'} the allowed range${limit}`;
    }
    case 'return_type_mismatch': {
      const types = /received_type\(([^)]*)\) mismatch input_type\(([^)]*)\)/.exec(error.details);
      const detail = types === null ? '' : ` (got ${types[1]}, needs ${types[2]})`;
      return `has${on} linked to an output of the wrong type${detail}`;
    }
    case 'custom_validation_failed':
      return `was rejected${on}: ${error.details.replace(/^\w+ - /, '')}`;
    case 'exception_during_validation':
    case 'exception_during_inner_validation':
      return `could not be checked${on} (${error.details || error.message})`;
    case 'invalid_input_type':
      return `has${on} set to ${show(received)}, which is not of the right type`;
    default:
      return `failed validation${on}: ${[error.message, error.details].filter((part) => part !== '').join(': ')}`;
  }
}

/**
 * A 400 answer of POST /prompt as one plain sentence naming the node (id, class, title) and the input, e.g.
 * `ComfyUI rejected the workflow: node 3 (KSampler "Sampler") has input "sampler_name" set to "Euler a",
 * which the server does not offer.`
 */
export function toComfyErrorMessage(body: unknown, graph?: ApiGraph): string {
  const parsed = validationBody.safeParse(body);
  if (!parsed.success) return 'ComfyUI rejected the workflow without saying why.';
  const { error, node_errors: nodeErrors } = parsed.data;
  const problems = Object.entries(nodeErrors).flatMap(([id, entry]) =>
    entry.errors.map((problem) => ({ id, classType: entry.class_type, problem })),
  );
  const first = problems[0];
  if (first !== undefined) {
    const title = graph?.[first.id]?._meta?.title;
    const name =
      title !== undefined && title !== first.classType
        ? `node ${first.id} (${first.classType} "${title}")`
        : `node ${first.id} (${first.classType})`;
    const more =
      problems.length > 1
        ? ` (and ${problems.length - 1} more problem${problems.length > 2 ? 's' : ''})`
        : '';
    return `ComfyUI rejected the workflow: ${name} ${describeNodeError(first.problem)}${more}.`;
  }
  if (error === undefined) return 'ComfyUI rejected the workflow without saying why.';
  if (typeof error === 'string') return `ComfyUI rejected the workflow: ${error}`;
  switch (error.type) {
    case 'invalid_prompt': {
      const missing = /node (.+) does not exist/.exec(error.message);
      const node = /#([^']+)/.exec(error.details)?.[1];
      return missing !== null
        ? `ComfyUI rejected the workflow: it uses node class "${missing[1]}"${node === undefined ? '' : ` (node ${node})`}, which the server does not have.`
        : `ComfyUI rejected the workflow: ${error.message}`;
    }
    case 'prompt_no_outputs':
      return 'ComfyUI rejected the workflow: it has no output node such as SaveImage.';
    case 'no_prompt':
      return 'ComfyUI rejected the request: it carried no workflow.';
    default:
      return `ComfyUI rejected the workflow: ${[error.message, error.details].filter((part) => part !== '').join(': ')}.`;
  }
}
