/**
 * Pure: a graph checked against the server's `/object_info` before it is queued (or, for an operator's
 * graph, at start), so that a problem names the node id, its class and the input instead of surfacing
 * as a failed job.
 */
import { type ApiGraph, type ApiNode, isLink } from './api-graph.js';
import { type ComfyInputSpec, describeInput, type InputKind, type ObjectInfo } from './object-info.js';

function label(id: string, entry: ApiNode): string {
  const title = entry._meta?.title;
  return title !== undefined && title !== entry.class_type
    ? `node ${id} (${entry.class_type} "${title}")`
    : `node ${id} (${entry.class_type})`;
}

function typesMatch(received: string, expected: string): boolean {
  if (received === '*' || expected === '*') return true;
  const left = received.split(',');
  return expected.split(',').some((type) => left.includes(type));
}

/** One input given as a link: to a node in the graph, to an output it has, of the type the input takes. */
function checkLink(
  where: string,
  name: string,
  value: [string | number, number],
  spec: ComfyInputSpec,
  kind: InputKind,
  context: { graph: ApiGraph; objectInfo: ObjectInfo },
): string | null {
  const source = context.graph[String(value[0])];
  if (source === undefined) {
    return `${where}: input "${name}" links to node ${value[0]}, which is not in the graph`;
  }
  const sourceInfo = context.objectInfo[source.class_type];
  if (sourceInfo === undefined) return null;
  const received = sourceInfo.output[value[1]];
  if (received === undefined) {
    return `${where}: input "${name}" links to output ${value[1]} of node ${value[0]} (${source.class_type}), which has no such output`;
  }
  const expected = kind.kind === 'link' ? kind.type : kind.kind === 'combo' ? 'COMBO' : String(spec[0]);
  if (!typesMatch(received, expected)) {
    return `${where}: input "${name}" expects ${expected} but node ${value[0]} (${source.class_type}) output ${value[1]} is ${received}`;
  }
  return null;
}

/** One input given as a value: a listed value in its list (uploads excepted), a number within bounds. */
function checkValue(where: string, name: string, value: unknown, kind: InputKind): string | null {
  switch (kind.kind) {
    case 'combo':
      if (!kind.upload && !(typeof value === 'string' && kind.choices.includes(value))) {
        return `${where}: ${name} ${JSON.stringify(value)} is not one of the server's values`;
      }
      return null;
    case 'number': {
      const number =
        typeof value === 'number' ? value : typeof value === 'string' ? Number(value) : Number.NaN;
      if (!Number.isFinite(number)) return `${where}: ${name} ${JSON.stringify(value)} is not a number`;
      if (kind.min !== null && number < kind.min) {
        return `${where}: ${name} ${number} is below the minimum of ${kind.min}`;
      }
      if (kind.max !== null && number > kind.max) {
        return `${where}: ${name} ${number} is above the maximum of ${kind.max}`;
      }
      return null;
    }
    case 'link':
      return `${where}: input "${name}" must be a link to a ${kind.type} output, not a value`;
    default:
      return null;
  }
}

/** The problems of one node whose class the server knows: each input its class declares. */
function checkNode(
  id: string,
  entry: ApiNode,
  info: NonNullable<ObjectInfo[string]>,
  context: { graph: ApiGraph; objectInfo: ObjectInfo },
): string[] {
  const problems: string[] = [];
  const where = label(id, entry);
  const specs = [
    ...Object.entries(info.input.required ?? {}).map(([name, spec]) => ({ name, spec, required: true })),
    ...Object.entries(info.input.optional ?? {}).map(([name, spec]) => ({ name, spec, required: false })),
  ];
  for (const { name, spec, required } of specs) {
    if (!(name in entry.inputs)) {
      if (required) problems.push(`${where}: required input "${name}" is missing`);
      continue;
    }
    const value = entry.inputs[name];
    const kind = describeInput(spec);
    const problem = isLink(value)
      ? checkLink(where, name, value, spec, kind, context)
      : checkValue(where, name, value, kind);
    if (problem !== null) problems.push(problem);
  }
  return problems;
}

/**
 * Checks a graph against the server's `/object_info`: every class known, required inputs present, links to
 * existing outputs of the right type, listed values in their list (uploaded images excepted), numbers within
 * bounds, and at least one output node. Each problem names the node id, its class and the input.
 */
export function checkGraph(
  graph: ApiGraph,
  objectInfo: ObjectInfo,
): { ok: true } | { ok: false; problems: string[] } {
  const problems: string[] = [];
  let outputs = 0;
  for (const [id, entry] of Object.entries(graph)) {
    const info = objectInfo[entry.class_type];
    if (info === undefined) {
      problems.push(`${label(id, entry)}: the server has no node class "${entry.class_type}"`);
      continue;
    }
    if (info.output_node === true) outputs += 1;
    problems.push(...checkNode(id, entry, info, { graph, objectInfo }));
  }
  if (outputs === 0) problems.push('the graph has no output node (such as SaveImage)');
  return problems.length === 0 ? { ok: true } : { ok: false, problems };
}
