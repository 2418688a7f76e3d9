import type { BackendConfig } from '../config.js';
import { createComfyClient } from '../engines/comfyui/client.js';
import {
  checkOperatorGraph,
  type OperatorGraphFile,
  type OperatorGraphKind,
} from '../engines/comfyui/operator-graphs.js';
import { isComfyServer, probeComfy, toComfyCapabilities } from '../engines/comfyui/probe.js';
import { describeLimits } from '../engines/describe.js';
import { render } from '../i18n/translate.js';
import type { HttpDeps } from './http.js';
import { type CheckLine, fail, info, pass, warn } from './report.js';

/**
 * The ComfyUI part of the report, or undefined when the address is not ComfyUI (then the /sdapi
 * checks run): its name and version, its lists, what it cannot do through the bot, and whether
 * the operator's graphs fit it (a graph that does not is refused at start, naming the node).
 */
export async function checkComfy(
  backend: BackendConfig,
  graphs: Partial<Record<OperatorGraphKind, OperatorGraphFile>>,
  deps: HttpDeps,
): Promise<CheckLine[] | undefined> {
  const client = createComfyClient({
    url: backend.url,
    username: backend.username,
    password: backend.password,
    timeoutMs: deps.timeoutMs,
    connectTimeoutMs: Math.min(deps.timeoutMs, 5_000),
    ...(deps.dispatcher === undefined ? {} : { dispatcher: deps.dispatcher }),
  });
  const label = client.label;
  try {
    if (!(await isComfyServer(client, { timeoutMs: deps.timeoutMs }).catch(() => false))) return undefined;
    const facts = await probeComfy(client, { timeoutMs: deps.timeoutMs });
    const capabilities = toComfyCapabilities(facts, backend.password === undefined ? 'none' : 'basic');
    const { checkpoints, samplers, loras, upscaleModels } = facts.lists;
    const lines: CheckLine[] = [
      pass(`ComfyUI ${label} reachable`),
      info(`ComfyUI ${label} looks like ComfyUI${facts.version === null ? '' : ` ${facts.version}`}`),
    ];
    const counts = `${checkpoints.length} checkpoints, ${samplers.length} samplers, ${loras.length} LoRAs, ${upscaleModels.length} upscale models`;
    lines.push(
      checkpoints.length === 0
        ? fail(`ComfyUI ${label}: ${counts}`, 'put a checkpoint in ComfyUI/models/checkpoints and restart it')
        : pass(`ComfyUI ${label}: ${counts}`),
    );
    for (const limit of describeLimits(capabilities)) lines.push(info(`ComfyUI ${label} ${render(limit)}`));
    for (const [kind, file] of Object.entries(graphs) as [OperatorGraphKind, OperatorGraphFile][]) {
      const check = checkOperatorGraph(file, kind, facts.objectInfo, facts.lists);
      lines.push(
        check.ok
          ? pass(`ComfyUI ${label}: the operator graph ${file.name} fits this server`)
          : warn(
              `ComfyUI ${label}: the operator graph ${file.name} does not fit: ${check.problems.join('; ')}`,
              'fix the graph in COMFY_GRAPH_DIR (the built-in graph is used meanwhile)',
            ),
      );
    }
    return lines;
  } catch (error: unknown) {
    const what = error instanceof Error ? error.message : String(error);
    return [fail(`ComfyUI ${label}: ${what}`, 'check that SD_API_URL points at a running ComfyUI')];
  } finally {
    await client.close();
  }
}
