import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BackendConfig, Config } from '../config.js';
import { createComfyClient } from '../engines/comfyui/client.js';
import type { OperatorGraphFile, OperatorGraphKind } from '../engines/comfyui/operator-graphs.js';
import { isComfyServer } from '../engines/comfyui/probe.js';
import { createDetectingEngine } from '../engines/detect.js';
import { toAuthKind } from '../engines/endpoint.js';
import type { Backend } from '../jobs/backend-pool.js';
import type { Logger } from '../log.js';

/**
 * The operator's graph files in `COMFY_GRAPH_DIR` (`txt2img.json`, `img2img.json`). A file that cannot
 * be read is reported and left out; its contents are checked against each server at probe time.
 */
export function readOperatorGraphs(
  dir: string | undefined,
  log?: Pick<Logger, 'warn'>,
): Partial<Record<OperatorGraphKind, OperatorGraphFile>> {
  const graphs: Partial<Record<OperatorGraphKind, OperatorGraphFile>> = {};
  if (dir === undefined) return graphs;
  for (const kind of ['txt2img', 'img2img'] as const) {
    const name = `${kind}.json`;
    try {
      graphs[kind] = { name, json: readFileSync(join(dir, name), 'utf8') };
    } catch (error: unknown) {
      const code = error instanceof Error && 'code' in error ? error.code : undefined;
      if (code !== 'ENOENT') {
        log?.warn({ graph: name, err: error }, `could not read the ComfyUI graph ${name} in COMFY_GRAPH_DIR`);
      }
    }
  }
  return graphs;
}

/**
 * The backend of one `SD_API_URL` entry, able to be ComfyUI: its first probe tells (see `detect.ts`),
 * and an A1111-family server keeps the engine it was built with.
 */
export function withComfy(
  entry: Backend,
  backend: BackendConfig,
  config: Config,
  log?: Pick<Logger, 'warn'>,
): Backend {
  const client = createComfyClient({
    url: backend.url,
    username: backend.username,
    password: backend.password,
    timeoutMs: Math.min(config.limits.requestTimeoutMs, 120_000),
  });
  const comfyLog =
    log === undefined
      ? undefined
      : { warn: log.warn.bind(log), info: () => undefined, debug: () => undefined };
  const graphs = readOperatorGraphs(config.comfy.graphDir, log);
  // Loaded once a server turns out to be ComfyUI: a bot on A1111-family servers never pays for it.
  const comfy = async () => {
    const { createComfyEngine } = await import('../engines/comfyui/engine.js');
    return createComfyEngine({
      client,
      auth: toAuthKind(backend.username, backend.password),
      log: comfyLog,
      graphs,
      flux: config.comfy.flux,
      runTimeoutMs: config.limits.requestTimeoutMs,
    });
  };
  return {
    ...entry,
    engine: createDetectingEngine({
      a1111: entry.engine,
      comfy,
      isComfy: (options) => isComfyServer(client, options),
    }),
  };
}
