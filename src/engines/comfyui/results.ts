/**
 * How a concluded prompt becomes the run's result: its error (an execution error, an interrupt), or its
 * images, from `/history` when the socket did not name them, fetched byte for byte from `/view`.
 */
import {
  SdAbortedError,
  type SdError,
  SdMalformedResponseError,
  SdOutOfMemoryError,
  SdServerError,
} from '../errors.js';
import type { EngineResult } from '../types.js';
import type { ComfyClient } from './client.js';
import type { ComfyRunState } from './events.js';
import { parseHistoryEntry } from './history.js';
import type { ComfyJobRecord } from './job-graph.js';
import type { ComfyImageRef } from './messages.js';

const OUT_OF_MEMORY = /out of memory|OutOfMemory/i;

/** A run at its end, as the follower hands it over. */
export interface ConcludedRun {
  promptId: string;
  state: ComfyRunState;
  record: ComfyJobRecord;
  /** Whether the bot cancelled it (an interrupt is then an abort, not a server error). */
  cancelled: boolean;
  /** The images the history named, or null to read them from `/history` now. */
  images: Record<string, ComfyImageRef[]> | null;
  signal: AbortSignal;
  /** Each image as soon as it is fetched (see `RunOptions.onImage`). */
  onImage?: ((image: Buffer) => void) | undefined;
}

/** The images of a finished prompt, in the order the bot's record names its output nodes. */
export function orderedImages(
  images: Record<string, ComfyImageRef[]>,
  outputs: readonly string[],
): ComfyImageRef[] {
  const ids = outputs.length > 0 ? outputs.filter((id) => images[id] !== undefined) : Object.keys(images);
  const all = ids.flatMap((id) => images[id] ?? []);
  const saved = all.filter((image) => image.type === 'output');
  return saved.length > 0 ? saved : all;
}

/** An `execution_error` as a typed error: out of memory, or a server error naming the node. */
export function executionError(label: string, error: NonNullable<ComfyRunState['error']>): SdError {
  const where = error.nodeType === '' ? `node ${error.nodeId}` : `node ${error.nodeId} (${error.nodeType})`;
  const message = `ComfyUI failed in ${where}: ${error.message || error.exceptionType || 'an error'}`;
  const context = { backend: label, method: 'POST', path: '/prompt' };
  if (OUT_OF_MEMORY.test(`${error.message} ${error.exceptionType}`)) {
    return new SdOutOfMemoryError(message, { ...context, detail: error.message });
  }
  return new SdServerError(message, {
    ...context,
    detail: error.message,
    errorType: error.exceptionType === '' ? null : error.exceptionType,
  });
}

/** The finished prompt's images from /history (it may lag `execution_success` by a moment). */
async function historyImages(
  client: ComfyClient,
  run: ConcludedRun,
): Promise<Record<string, ComfyImageRef[]>> {
  for (let attempt = 0; attempt < 20; attempt += 1) {
    const entry = parseHistoryEntry(
      await client.getJson(`/history/${encodeURIComponent(run.promptId)}`, { signal: run.signal }),
      run.promptId,
    );
    if (entry.state !== 'unknown') return entry.images;
    await new Promise((done) => setTimeout(done, 100));
  }
  return run.state.outputs;
}

/** A concluded run's result: it throws the run's error, or fetches its images with the record's seeds. */
export async function collectResult(client: ComfyClient, run: ConcludedRun): Promise<EngineResult> {
  const label = client.label;
  const { promptId, state, record } = run;
  if (state.phase === 'error' && state.error !== null) throw executionError(label, state.error);
  if (state.phase === 'interrupted') {
    throw run.cancelled
      ? new SdAbortedError(`${label}: prompt ${promptId} was interrupted`, { backend: label })
      : new SdServerError(`${label}: prompt ${promptId} was interrupted on the server`, {
          backend: label,
          detail: 'interrupted',
          errorType: null,
        });
  }
  const found = run.images ?? (await historyImages(client, run));
  const refs = orderedImages(found, record.outputs);
  if (refs.length === 0) {
    throw new SdMalformedResponseError(`${label}: prompt ${promptId} finished without images`, {
      backend: label,
      method: 'GET',
      path: `/history/${promptId}`,
      detail: 'no images in the outputs',
    });
  }
  const bytes: Buffer[] = [];
  for (const ref of refs) {
    const image = await client.view(ref, { signal: run.signal });
    run.onImage?.(image);
    bytes.push(image);
  }
  const first = record.seeds[0];
  return {
    images: bytes,
    seeds:
      record.seeds.length === bytes.length
        ? record.seeds
        : first === undefined
          ? []
          : bytes.map((_, index) => record.seeds[index] ?? first),
    model: record.model,
    modelHash: null,
    sampler: record.sampler,
    infotexts: [],
  };
}
