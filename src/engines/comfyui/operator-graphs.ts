/**
 * Pure: an operator's graph file (`COMFY_GRAPH_DIR/txt2img.json`, `img2img.json`) checked against the
 * server it is meant for. The placeholders are filled with values the server accepts (its first
 * checkpoint, sampler and scheduler) and the result goes through `checkGraph`, so that a graph which
 * names a node class or an input the server lacks is refused at start, not when a member's job fails.
 */
import { fillOperatorGraph, parseOperatorGraph } from './graph.js';
import { checkGraph } from './graph-check.js';
import type { ComfyLists } from './job-graph.js';
import type { ObjectInfo } from './object-info.js';

export type OperatorGraphKind = 'txt2img' | 'img2img';

export interface OperatorGraphFile {
  /** The file name, for messages. */
  name: string;
  json: string;
}

export type OperatorGraphCheck = { ok: true; template: unknown } | { ok: false; problems: string[] };

export function checkOperatorGraph(
  file: OperatorGraphFile,
  kind: OperatorGraphKind,
  objectInfo: ObjectInfo,
  lists: ComfyLists,
): OperatorGraphCheck {
  const parsed = parseOperatorGraph(file.name, file.json);
  if (!parsed.ok) return { ok: false, problems: [parsed.problem] };
  if (kind === 'img2img' && !parsed.placeholders.includes('image')) {
    return {
      ok: false,
      problems: [
        `Graph "${file.name}" has no {{image}} placeholder, so the member's image would be ignored.`,
      ],
    };
  }
  let filled: ReturnType<typeof fillOperatorGraph>;
  try {
    filled = fillOperatorGraph(parsed.template, {
      prompt: 'a test prompt',
      negative_prompt: '',
      seed: 1,
      steps: 20,
      cfg: 7,
      width: 512,
      height: 512,
      sampler: lists.samplers[0] ?? 'euler',
      scheduler: lists.schedulers.includes('normal') ? 'normal' : (lists.schedulers[0] ?? 'normal'),
      checkpoint: lists.checkpoints[0] ?? '',
      batch: 1,
      image: 'sdbot-check.png',
      denoise: 0.75,
    });
  } catch (error: unknown) {
    return { ok: false, problems: [error instanceof Error ? error.message : String(error)] };
  }
  const checked = checkGraph(filled, objectInfo);
  if (!checked.ok)
    return { ok: false, problems: checked.problems.map((problem) => `${file.name}: ${problem}`) };
  return { ok: true, template: parsed.template };
}
