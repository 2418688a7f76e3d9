import type { Logger } from '../../log.js';
import type { Capabilities } from '../types.js';
import type { ComfyClient } from './client.js';
import type { ComfyFluxFiles } from './job-graph.js';
import type { OperatorGraphFile, OperatorGraphKind } from './operator-graphs.js';

/** What the ComfyUI engine is built from (src/app/comfy-backend.ts fills it from the configuration). */
export interface ComfyEngineOptions {
  client: ComfyClient;
  auth: Capabilities['auth'];
  log?: Pick<Logger, 'warn' | 'info' | 'debug'> | undefined;
  /** The operator's graphs (`COMFY_GRAPH_DIR`), checked against `/object_info` at each probe. */
  graphs?: Partial<Record<OperatorGraphKind, OperatorGraphFile>> | undefined;
  /** The Flux-class split loaders, when the operator names the files. */
  flux?: ComfyFluxFiles | undefined;
  /** The WebSocket client id; stable per server by default, so a restarted bot hears its prompts again. */
  clientId?: string | undefined;
  /** Longest a run may take, its wait in the server's queue included (default 10 minutes). */
  runTimeoutMs?: number | undefined;
  /** How long the server may answer no poll at all before a run gives up on it (default 15 s). */
  downAfterMs?: number | undefined;
}
