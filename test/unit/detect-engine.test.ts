import { describe, expect, it } from 'vitest';
import { UNPROBED_CAPABILITIES } from '../../src/engines/a1111/engine.js';
import { UNPROBED_COMFY_CAPABILITIES } from '../../src/engines/comfyui/probe.js';
import { createDetectingEngine } from '../../src/engines/detect.js';
import { SdUnreachableError } from '../../src/engines/errors.js';
import type { Capabilities, Engine, EngineResult } from '../../src/engines/types.js';

/** An in-memory engine that answers with its own name; `calls` records what was asked of it. */
function namedEngine(
  name: string,
  capabilities: Capabilities,
  resumable: boolean,
): Engine & { calls: string[] } {
  const calls: string[] = [];
  const result: EngineResult = {
    images: [],
    seeds: [],
    model: name,
    modelHash: null,
    sampler: null,
    infotexts: [],
  };
  const run = () => ({ result: Promise.resolve(result), cancel: async () => 'discard' as const });
  return {
    calls,
    id: 'http://127.0.0.1:1',
    capabilities,
    async probe() {
      calls.push('probe');
      return { capabilities, loadedModel: null };
    },
    ready: async () => undefined,
    ping: async () => undefined,
    generate: () => run(),
    ...(resumable ? { resume: () => run() } : {}),
    upscale: () => run(),
    listCheckpoints: async () => [],
    listSamplers: async () => {
      calls.push('listSamplers');
      return [{ name, aliases: [] }];
    },
    listSchedulers: async () => null,
    listUpscalers: async () => [],
    listLoras: async () => [],
    listEmbeddings: async () => [],
    listStyles: async () => [],
    loadedModel: async () => null,
    switchModel: async () => undefined,
    refreshCheckpoints: async () => undefined,
    close: async () => {
      calls.push('close');
    },
  };
}

const unreachable = () =>
  new SdUnreachableError('GET http://127.0.0.1:1/system_stats could not reach the WebUI', {
    backend: 'http://127.0.0.1:1',
  });

describe('createDetectingEngine', () => {
  it('delegates everything to the ComfyUI engine once the probe finds ComfyUI', async () => {
    const a1111 = namedEngine('a1111', UNPROBED_CAPABILITIES, false);
    const comfy = namedEngine('comfy', UNPROBED_COMFY_CAPABILITIES, true);
    const engine = createDetectingEngine({ a1111, comfy, isComfy: async () => true });
    expect(engine.capabilities.dialect).toBe('a1111');
    const probed = await engine.probe();
    expect(probed.capabilities.dialect).toBe('comfyui');
    expect(engine.capabilities.dialect).toBe('comfyui');
    expect((await engine.listSamplers())[0]?.name).toBe('comfy');
    expect(a1111.calls).toEqual([]);
  });

  it('keeps the A1111 engine when the server is not ComfyUI', async () => {
    const a1111 = namedEngine('a1111', UNPROBED_CAPABILITIES, false);
    const comfy = namedEngine('comfy', UNPROBED_COMFY_CAPABILITIES, true);
    const engine = createDetectingEngine({ a1111, comfy, isComfy: async () => false });
    await engine.probe();
    expect((await engine.listSamplers())[0]?.name).toBe('a1111');
    expect(
      engine.resume?.('ref', {
        signal: AbortSignal.timeout(1000),
        progressIntervalMs: 100,
        livePreview: false,
      }),
    ).toBeUndefined();
    expect(comfy.calls).toEqual([]);
  });

  it('asks again at the next probe when nothing answered the first', async () => {
    const a1111 = namedEngine('a1111', UNPROBED_CAPABILITIES, false);
    const comfy = namedEngine('comfy', UNPROBED_COMFY_CAPABILITIES, true);
    let up = false;
    const engine = createDetectingEngine({
      a1111,
      comfy,
      isComfy: async () => {
        if (!up) throw unreachable();
        return true;
      },
    });
    await engine.probe();
    expect(engine.capabilities.dialect).toBe('a1111');
    up = true;
    await engine.probe();
    expect(engine.capabilities.dialect).toBe('comfyui');
  });

  it('lets a list asked before the first probe wait for the kind to be known', async () => {
    const a1111 = namedEngine('a1111', UNPROBED_CAPABILITIES, false);
    const comfy = namedEngine('comfy', UNPROBED_COMFY_CAPABILITIES, true);
    let answer: (comfy: boolean) => void = () => undefined;
    const engine = createDetectingEngine({
      a1111,
      comfy,
      isComfy: () =>
        new Promise<boolean>((resolve) => {
          answer = resolve;
        }),
    });
    const probing = engine.probe();
    const samplers = engine.listSamplers();
    answer(true);
    await probing;
    expect((await samplers)[0]?.name).toBe('comfy');
  });

  it('follows a request after a restart once the probe has said which server it is', async () => {
    const a1111 = namedEngine('a1111', UNPROBED_CAPABILITIES, false);
    const comfy = namedEngine('comfy', UNPROBED_COMFY_CAPABILITIES, true);
    const engine = createDetectingEngine({ a1111, comfy, isComfy: async () => true });
    const probing = engine.probe();
    const run = engine.resume?.('ref', {
      signal: AbortSignal.timeout(1000),
      progressIntervalMs: 100,
      livePreview: false,
    });
    await probing;
    expect((await run?.result)?.model).toBe('comfy');
  });

  it('closes both engines', async () => {
    const a1111 = namedEngine('a1111', UNPROBED_CAPABILITIES, false);
    const comfy = namedEngine('comfy', UNPROBED_COMFY_CAPABILITIES, true);
    await createDetectingEngine({ a1111, comfy, isComfy: async () => true }).close();
    expect([a1111.calls, comfy.calls]).toEqual([['close'], ['close']]);
  });
});
