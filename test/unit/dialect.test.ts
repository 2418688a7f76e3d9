import { describe, expect, it } from 'vitest';
import {
  type A1111Signals,
  PROBED_ROUTES,
  type ProbedRoute,
  toCapabilities,
  toDialect,
} from '../../src/engines/a1111/dialect.js';
import { describeLimits, describeServer } from '../../src/engines/describe.js';
import { render } from '../../src/i18n/translate.js';

const routes = (present: ProbedRoute[]): Record<ProbedRoute, boolean> =>
  Object.fromEntries(PROBED_ROUTES.map((route) => [route, present.includes(route)])) as Record<
    ProbedRoute,
    boolean
  >;

const A1111_ROUTES: ProbedRoute[] = [
  'progress',
  'interrogate',
  'loras',
  'embeddings',
  'prompt-styles',
  'scripts',
  'sd-vae',
  'schedulers',
  'internal-progress',
];
const base: A1111Signals = {
  routes: routes(A1111_ROUTES),
  versionBody: null,
  options: null,
  samplers: ['DPM++ 2M'],
  scripts: [],
  auth: 'none',
};

describe('toDialect', () => {
  it.each<[string, Partial<A1111Signals>, string]>([
    ['A1111 1.9+ (schedulers, sd-vae)', {}, 'a1111'],
    [
      'A1111 up to 1.8 (no schedulers)',
      { routes: routes(A1111_ROUTES.filter((route) => route !== 'schedulers')) },
      'a1111-legacy',
    ],
    ['Forge (sd-modules and interrogate)', { routes: routes([...A1111_ROUTES, 'sd-modules']) }, 'forge'],
    [
      'Forge Neo (sd-modules, no interrogate)',
      { routes: routes([...A1111_ROUTES.filter((r) => r !== 'interrogate'), 'sd-modules']) },
      'forge-neo',
    ],
    [
      'Forge Classic (forge options, no schedulers)',
      { routes: routes(A1111_ROUTES.filter((r) => r !== 'schedulers')), options: { forge_preset: 'sd' } },
      'forge-classic',
    ],
    [
      'SD.Next (/version)',
      { routes: routes([...A1111_ROUTES, 'version']), versionBody: { app: 'sd.next', commit: 'abc' } },
      'sdnext',
    ],
    [
      'SD.Next (diffusers samplers, no schedulers)',
      { routes: routes(A1111_ROUTES.filter((r) => r !== 'schedulers')), samplers: ['Default', 'UniPC'] },
      'sdnext',
    ],
    [
      'stable-diffusion.cpp (/sdcpp/v1/capabilities)',
      { routes: routes(['loras', 'schedulers', 'sdcpp-capabilities']) },
      'sdcpp',
    ],
    [
      'KoboldCpp (/api/extra/version)',
      { routes: routes(['koboldcpp-version']), versionBody: { result: 'KoboldCpp', version: '1.99' } },
      'koboldcpp',
    ],
  ])('recognises %s', (_case, signals, dialect) => {
    expect(toDialect({ ...base, ...signals })).toBe(dialect);
  });
});

describe('toCapabilities', () => {
  it('gives A1111 in UI mode per-task progress and a safe interrupt', () => {
    const capabilities = toCapabilities(base);
    expect(capabilities).toMatchObject({
      progress: 'task',
      interrupt: 'task',
      upscale: true,
      models: 'switch',
      ownSeeds: false,
      sizeMultiple: 8,
    });
  });

  it('never interrupts where the server cannot tell whose task runs (--nowebui)', () => {
    const capabilities = toCapabilities({
      ...base,
      routes: routes(A1111_ROUTES.filter((r) => r !== 'internal-progress')),
    });
    expect(capabilities).toMatchObject({ progress: 'global', interrupt: 'none' });
  });

  it('does not trust SD.Next per-task progress, which ignores force_task_id', () => {
    const capabilities = toCapabilities({
      ...base,
      routes: routes([...A1111_ROUTES, 'version']),
      versionBody: { app: 'sd.next' },
    });
    expect(capabilities).toMatchObject({
      dialect: 'sdnext',
      progress: 'global',
      interrupt: 'none',
      schedulers: 'separate',
    });
  });

  it('makes stable-diffusion.cpp a fixed-model server without progress, upscaling or trusted seeds', () => {
    const capabilities = toCapabilities({
      ...base,
      routes: routes(['loras', 'schedulers', 'sdcpp-capabilities']),
    });
    expect(capabilities).toMatchObject({
      name: 'stable-diffusion.cpp',
      progress: 'none',
      interrupt: 'none',
      preview: false,
      upscale: false,
      models: 'fixed',
      ownSeeds: true,
      sizeMultiple: 64,
      styles: false,
    });
    // Rendered in English, as doctor shows them.
    const limits = describeLimits(capabilities).map((limit) => render(limit));
    expect(limits).toEqual(
      expect.arrayContaining([
        expect.stringContaining('cannot switch models'),
        expect.stringContaining('cannot upscale images'),
        expect.stringContaining('shows no progress'),
        expect.stringContaining('thrown away'),
      ]),
    );
    expect(describeServer(capabilities)).toMatch(/^stable-diffusion\.cpp: /);
  });

  it('offers ADetailer only where the scripts list has it', () => {
    expect(toCapabilities(base).adetailer).toBe(false);
    expect(toCapabilities({ ...base, scripts: ['adetailer'] }).adetailer).toBe(true);
  });
});
