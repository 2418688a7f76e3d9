/**
 * A fake image server behind the engine contract (`src/engines/types.ts`), in memory, driven by the
 * test: every `generate`/`upscale` becomes a `FakeRun` whose answer the test resolves or rejects,
 * `cancel()` answers whatever outcome the test set, and probes and pings can be held or made to fail.
 */
import { SdAbortedError, SdUnreachableError, SdUnsupportedError } from '../../src/engines/errors.js';
import type {
  CancelOutcome,
  Capabilities,
  Engine,
  EngineResult,
  EngineRun,
  GenerateRequest,
  ProbeResult,
  RunOptions,
  UpscaleRequest,
} from '../../src/engines/types.js';

export const FAKE_CAPABILITIES: Capabilities = {
  dialect: 'a1111',
  name: 'Fake engine',
  version: '1.0',
  img2img: true,
  progress: 'task',
  preview: false,
  interrupt: 'task',
  dequeue: false,
  upscale: true,
  models: 'switch',
  schedulers: 'separate',
  sizeMultiple: 8,
  ownSeeds: false,
  loras: false,
  embeddings: false,
  styles: false,
  hires: false,
  adetailer: false,
  auth: 'none',
};

export interface FakeRun {
  kind: 'generate' | 'upscale';
  request: GenerateRequest | UpscaleRequest;
  options: RunOptions;
  /** The server answers (the slot frees as it starts answering, as `onFree` says). */
  resolve(result?: Partial<EngineResult>): void;
  reject(error: unknown): void;
  /** How many times `cancel()` was asked. */
  readonly cancels: number;
  /** Whether it has settled (by the test, or rejected as aborted when its signal aborted). */
  readonly settled: boolean;
}

export interface FakeEngine extends Engine {
  readonly runs: FakeRun[];
  /** Calls in order: `probe`, `ping`, `generate`, `upscale`, `cancel`. */
  readonly calls: string[];
  /** What the next probes report. */
  capabilitiesAfterProbe: Capabilities;
  /** What the next probes say is loaded. */
  probedModel: string | null;
  /** The next this many probes reject (the server is unreachable). */
  probeFailures: number;
  /** While set, probes wait for it before answering. */
  probeGate: Promise<void> | undefined;
  /** Whether `ping()` rejects. */
  pingFails: boolean;
  /** What `cancel()` of a run answers. */
  cancelOutcome: CancelOutcome;
  /** Resolves with the `index`-th run (0-based) once it exists; rejects after `timeoutMs` (default 3 s). */
  run(index: number, timeoutMs?: number): Promise<FakeRun>;
}

export function createFakeEngine(
  id: string,
  options: { capabilities?: Partial<Capabilities> } = {},
): FakeEngine {
  const runs: FakeRun[] = [];
  const calls: string[] = [];
  const waiters: { index: number; resolve: (run: FakeRun) => void }[] = [];
  let capabilities: Capabilities = FAKE_CAPABILITIES;
  let firstProbe: Promise<void> | undefined;

  const startRun = (
    kind: FakeRun['kind'],
    request: FakeRun['request'],
    runOptions: RunOptions,
  ): EngineRun => {
    calls.push(kind);
    let settle: { resolve: (value: EngineResult) => void; reject: (error: unknown) => void } | undefined;
    const result = new Promise<EngineResult>((resolve, reject) => {
      settle = { resolve, reject };
    });
    let cancels = 0;
    let settled = false;
    const count = kind === 'generate' ? (request as GenerateRequest).count : 1;
    const run: FakeRun = {
      kind,
      request,
      options: runOptions,
      resolve(partial = {}) {
        if (settled) return;
        settled = true;
        // As a real engine: the answer is read on once the hand-over of the server settles.
        void Promise.resolve(runOptions.onFree?.()).then(() => {
          const images =
            partial.images ??
            Array.from({ length: count }, (_, index) => Buffer.from(`${id} image ${index}`));
          // Each image as it is in, then the whole answer holding the same buffers.
          for (const image of images) runOptions.onImage?.(image);
          settle?.resolve({
            seeds: Array.from({ length: count }, (_, index) => 1000 + index),
            model: 'fake-model',
            modelHash: 'abc123',
            sampler: 'Euler a',
            infotexts: [],
            ...partial,
            images,
          });
        });
      },
      reject(error) {
        if (settled) return;
        settled = true;
        settle?.reject(error);
      },
      get cancels() {
        return cancels;
      },
      get settled() {
        return settled;
      },
    };
    // As a real engine: aborting the signal drops the request (shutdown).
    runOptions.signal.addEventListener(
      'abort',
      () => {
        if (!settled) run.reject(new SdAbortedError(`${id}: request aborted`, { backend: id }));
      },
      { once: true },
    );
    runs.push(run);
    for (const waiter of waiters.filter((candidate) => candidate.index === runs.length - 1)) {
      waiter.resolve(run);
    }
    return {
      result,
      cancel: async () => {
        calls.push('cancel');
        cancels += 1;
        return engine.cancelOutcome;
      },
    };
  };

  const engine: FakeEngine = {
    id,
    runs,
    calls,
    capabilitiesAfterProbe: { ...FAKE_CAPABILITIES, ...options.capabilities },
    probedModel: 'fake-model',
    probeFailures: 0,
    probeGate: undefined,
    pingFails: false,
    cancelOutcome: 'interrupted',
    get capabilities() {
      return capabilities;
    },
    probe() {
      calls.push('probe');
      const probing = (async (): Promise<ProbeResult> => {
        await engine.probeGate;
        if (engine.probeFailures > 0) {
          engine.probeFailures -= 1;
          throw new SdUnreachableError(`${id} is not answering`, { backend: id });
        }
        capabilities = engine.capabilitiesAfterProbe;
        return { capabilities, loadedModel: engine.probedModel };
      })();
      firstProbe ??= probing.then(
        () => undefined,
        () => undefined,
      );
      return probing;
    },
    ready: () => firstProbe ?? Promise.resolve(),
    async ping() {
      calls.push('ping');
      if (engine.pingFails) throw new SdUnreachableError(`${id} is not answering`, { backend: id });
    },
    generate: (request, runOptions) => startRun('generate', request, runOptions),
    upscale(request, runOptions) {
      if (!capabilities.upscale) {
        calls.push('upscale');
        const result = Promise.reject(
          new SdUnsupportedError(`${id} cannot upscale images`, {
            backend: id,
            capability: 'upscale images',
          }),
        );
        result.catch(() => undefined);
        return { result, cancel: async () => 'discard' };
      }
      return startRun('upscale', request, runOptions);
    },
    listCheckpoints: async () => [],
    listSamplers: async () => [],
    listSchedulers: async () => null,
    listUpscalers: async () => [],
    listLoras: async () => [],
    listEmbeddings: async () => [],
    listStyles: async () => [],
    loadedModel: async () => engine.probedModel,
    switchModel: async () => undefined,
    refreshCheckpoints: async () => undefined,
    close: async () => undefined,
    run(index, timeoutMs = 3000) {
      const existing = runs[index];
      if (existing !== undefined) return Promise.resolve(existing);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`${id}: no run #${index} within ${timeoutMs} ms (${runs.length} so far)`)),
          timeoutMs,
        );
        waiters.push({
          index,
          resolve: (run) => {
            clearTimeout(timer);
            resolve(run);
          },
        });
      });
    },
  };
  return engine;
}
