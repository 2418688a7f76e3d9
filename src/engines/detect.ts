/**
 * One `SD_API_URL` entry whose kind is learnt from the server itself: its first probe asks whether it
 * answers ComfyUI's `/system_stats` and `/object_info`; from then on every call goes to the ComfyUI
 * engine or to the A1111-family one. Before that (and while the server cannot be reached at all) it
 * behaves as the A1111-family engine, except that the lists wait for the kind to be known.
 *
 *   undecided ──probe: ComfyUI answers──▶ comfyui
 *   undecided ──probe: anything else answers──▶ a1111
 *   undecided ──probe: unreachable──▶ undecided (asked again at the next probe)
 */
import { SdError, SdUnsupportedError } from './errors.js';
import type { Engine, EngineRun, RequestOptions, RunOptions } from './types.js';

export interface DetectingEngineOptions {
  a1111: Engine;
  /** The ComfyUI engine, or a loader for it: then its modules load only once a server turns out to be ComfyUI. */
  comfy: Engine | (() => Promise<Engine>);
  /** Resolves true for ComfyUI, false for another server; rejects when nothing answers. */
  isComfy: (options?: RequestOptions) => Promise<boolean>;
}

// One closure on purpose: the decided kind is shared by every method, each a one-line delegation.
export function createDetectingEngine(options: DetectingEngineOptions): Engine {
  let current: Engine = options.a1111;
  let comfy: Engine | undefined = typeof options.comfy === 'function' ? undefined : options.comfy;
  const loadComfy = async (): Promise<Engine> => {
    comfy ??= await (options.comfy as () => Promise<Engine>)();
    return comfy;
  };
  let decided = false;
  let firstProbe: Promise<void> | undefined;

  const decide = async (requestOptions?: RequestOptions) => {
    if (decided) return;
    try {
      const isComfy = await options.isComfy(requestOptions);
      current = isComfy ? await loadComfy() : options.a1111;
      decided = true;
    } catch (error: unknown) {
      if (!(error instanceof SdError)) throw error;
      // Nothing answered: the A1111 probe below reports that, and the next probe asks again.
    }
  };

  /** Waits until the kind is known (a probe in flight, or a detection of its own) before a list is asked. */
  const known = async (requestOptions?: RequestOptions): Promise<Engine> => {
    if (!decided) await (firstProbe ?? decide(requestOptions));
    return current;
  };

  const deferred = (start: () => EngineRun | undefined): EngineRun => {
    let run: EngineRun | undefined;
    const result = (async () => {
      await (firstProbe ?? Promise.resolve());
      run = start();
      if (run === undefined) {
        throw new SdUnsupportedError(`${current.id} cannot follow a request sent before a restart`, {
          backend: current.id,
          capability: 'follow a request sent before a restart',
        });
      }
      return run.result;
    })();
    result.catch(() => undefined);
    return { result, cancel: async () => (run === undefined ? 'discard' : run.cancel()) };
  };

  return {
    get id() {
      return current.id;
    },
    get capabilities() {
      return current.capabilities;
    },
    probe(requestOptions) {
      const probing = decide(requestOptions).then(() => current.probe(requestOptions));
      if (firstProbe === undefined) {
        firstProbe = probing.then(
          () => undefined,
          () => undefined,
        );
      }
      return probing;
    },
    ready: () => (firstProbe ?? Promise.resolve()).then(() => current.ready()),
    ping: (requestOptions) => current.ping(requestOptions),
    generate: (request, run) => current.generate(request, run),
    resume(ref: string, run: RunOptions) {
      if (decided) return current.resume?.(ref, run);
      return deferred(() => current.resume?.(ref, run));
    },
    upscale: (request, run) => current.upscale(request, run),
    listCheckpoints: async (requestOptions) => (await known(requestOptions)).listCheckpoints(requestOptions),
    listSamplers: async (requestOptions) => (await known(requestOptions)).listSamplers(requestOptions),
    listSchedulers: async (requestOptions) => (await known(requestOptions)).listSchedulers(requestOptions),
    listUpscalers: async (requestOptions) => (await known(requestOptions)).listUpscalers(requestOptions),
    listLoras: async (requestOptions) => (await known(requestOptions)).listLoras(requestOptions),
    listEmbeddings: async (requestOptions) => (await known(requestOptions)).listEmbeddings(requestOptions),
    listStyles: async (requestOptions) => (await known(requestOptions)).listStyles(requestOptions),
    loadedModel: async (requestOptions) => (await known(requestOptions)).loadedModel(requestOptions),
    switchModel: async (title, requestOptions) =>
      (await known(requestOptions)).switchModel(title, requestOptions),
    refreshCheckpoints: async (requestOptions) =>
      (await known(requestOptions)).refreshCheckpoints(requestOptions),
    async close() {
      await Promise.all([options.a1111.close(), comfy?.close()]);
    },
  };
}
