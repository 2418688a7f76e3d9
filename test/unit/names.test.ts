import { describe, expect, it } from 'vitest';
import {
  matchSampler,
  matchScheduler,
  nearestSampler,
  nearestScheduler,
  samplerKey,
  schedulerKey,
  splitCombinedSampler,
  toCombinedSampler,
} from '../../src/engines/names.js';
import {
  A1111_SAMPLERS,
  A1111_SCHEDULER_NAMES,
  A1111_SCHEDULERS,
  COMFY_SAMPLERS,
  COMFY_SCHEDULERS,
  FORGE_CLASSIC_ALIASES,
  FORGE_CLASSIC_SAMPLERS,
  FORGE_SAMPLERS,
  FORGE_SCHEDULERS,
  KOBOLDCPP_SAMPLERS,
  SDCPP_SAMPLERS,
  SDCPP_SCHEDULERS,
  SDNEXT_SAMPLERS,
} from './fixtures/sampler-lists.js';

describe('samplerKey', () => {
  it.each([
    ['DPM++ 2M', 'dpmpp_2m'],
    ['dpm++2m', 'dpmpp_2m'],
    ['k_dpmpp_2m', 'dpmpp_2m'],
    ['dpmpp_2m', 'dpmpp_2m'],
    ['  dpm++ 2m ', 'dpmpp_2m'],
    ['Euler a', 'euler_a'],
    ['euler_a', 'euler_a'],
    ['k_euler_a', 'euler_a'],
    ['k_euler_ancestral', 'euler_a'],
    ['euler_ancestral', 'euler_a'],
    ['EULER A', 'euler_a'],
    ['Euler', 'euler'],
    ['k_euler', 'euler'],
    ['DPM2 a', 'dpm2_a'],
    ['dpm_2_ancestral', 'dpm2_a'],
    ['KDPM2 a', 'dpm2_a'],
    ['KDPM2', 'dpm2'],
    ['k_dpm_2', 'dpm2'],
    ['DPM++ 2S a', 'dpmpp_2s_a'],
    ['dpm++2s_a', 'dpmpp_2s_a'],
    ['dpmpp_2s_ancestral', 'dpmpp_2s_a'],
    ['DPM++ 2M SDE', 'dpmpp_2m_sde'],
    ['dpm++2m_sde', 'dpmpp_2m_sde'],
    ['dpm++2m_sde_bt', 'dpmpp_2m_sde_gpu'],
    ['DPM++ 2M SDE Heun', 'dpmpp_2m_sde_heun'],
    ['DPM adaptive', 'dpm_adaptive'],
    ['k_dpm_ad', 'dpm_adaptive'],
    ['LMS', 'lms'],
    ['LMSD', 'lms'],
    ['DDIM', 'ddim'],
    ['ddim_trailing', 'ddim'],
    ['DDIM CFG++', 'ddim_cfg_pp'],
    ['UniPC', 'unipc'],
    ['uni_pc', 'unipc'],
    ['ER-SDE', 'er_sde'],
    ['er_sde', 'er_sde'],
    ['SA Solver', 'sa_solver'],
    ['euler_ancestral_cfg_pp', 'euler_a_cfg_pp'],
    ['euler_a_cfg_pp', 'euler_a_cfg_pp'],
    ['default', 'default'],
    ['Default', 'default'],
  ])('maps %j to %j', (name, key) => {
    expect(samplerKey(name)).toBe(key);
  });

  it.each([
    ['DPM++ 2M Karras', 'dpmpp_2m_karras'],
    ['k_dpmpp_2m_ka', 'dpmpp_2m_karras'],
    ['dpmpp_2m_karras', 'dpmpp_2m_karras'],
    ['DPM++ 2M SDE Exponential', 'dpmpp_2m_sde_exponential'],
    ['k_dpmpp_2m_sde_exp', 'dpmpp_2m_sde_exponential'],
    ['Euler A SGMUniform', 'euler_a_sgm_uniform'],
    ['euler_ancestral_sgm_uniform', 'euler_a_sgm_uniform'],
  ])('gives the combined name %j the key %j', (name, key) => {
    expect(samplerKey(name)).toBe(key);
  });

  it.each(FORGE_CLASSIC_ALIASES)('gives %j the key of its alias %j', (name, alias) => {
    expect(samplerKey(alias)).toBe(samplerKey(name));
  });

  it.each([
    ['Foo Bar', 'foo_bar'],
    ['foo-bar', 'foo_bar'],
    ['Res4Lyf++ X', 'res4lyfpp_x'],
    ['seeds_2', 'seeds_2'],
  ])('falls back to a normalised key %j → %j when the name is unknown', (name, key) => {
    expect(samplerKey(name)).toBe(key);
  });

  it('returns undefined when the name is empty', () => {
    expect(samplerKey('  ')).toBeUndefined();
  });
});

describe('schedulerKey', () => {
  it.each([
    ['Karras', 'karras'],
    ['karras', 'karras'],
    ['SGM Uniform', 'sgm_uniform'],
    ['sgm_uniform', 'sgm_uniform'],
    ['SGMUniform', 'sgm_uniform'],
    ['Align Your Steps', 'align_your_steps'],
    ['ays', 'align_your_steps'],
    ['align_your_steps', 'align_your_steps'],
    ['Align Your Steps GITS', 'align_your_steps_gits'],
    ['align_your_steps_GITS', 'align_your_steps_gits'],
    ['gits', 'align_your_steps_gits'],
    ['KL Optimal', 'kl_optimal'],
    ['Automatic', 'default'],
    ['automatic', 'default'],
    ['default', 'default'],
    ['Normal', 'normal'],
    ['discrete', 'normal'],
    ['DDIM', 'ddim_uniform'],
    ['ddim_uniform', 'ddim_uniform'],
    ['bong_tangent', 'bong_tangent'],
  ])('maps %j to %j', (name, key) => {
    expect(schedulerKey(name)).toBe(key);
  });

  it.each(A1111_SCHEDULERS.map((label, index) => [label, A1111_SCHEDULER_NAMES[index]]))(
    'gives the A1111 label %j the key of its name %j',
    (label, name) => {
      expect(schedulerKey(label)).toBe(schedulerKey(name ?? ''));
    },
  );
});

describe('splitCombinedSampler', () => {
  it.each([
    ['DPM++ 2M Karras', 'DPM++ 2M', 'Karras'],
    ['DPM++ SDE Karras', 'DPM++ SDE', 'Karras'],
    ['DPM++ 2M SDE Exponential', 'DPM++ 2M SDE', 'Exponential'],
    ['DPM++ 2M SDE Heun Karras', 'DPM++ 2M SDE Heun', 'Karras'],
    ['DPM++ 2M SDE Heun Exponential', 'DPM++ 2M SDE Heun', 'Exponential'],
    ['DPM2 a Karras', 'DPM2 a', 'Karras'],
    ['LCM Karras', 'LCM', 'Karras'],
    ['DDPM Karras', 'DDPM', 'Karras'],
    ['Euler A Turbo', 'Euler A', 'Turbo'],
    ['Euler A SGMUniform', 'Euler A', 'SGMUniform'],
    ['Euler SGM Uniform', 'Euler', 'SGM Uniform'],
    ['DPM++ 2M Align Your Steps', 'DPM++ 2M', 'Align Your Steps'],
    ['dpmpp_2m_karras', 'dpmpp_2m', 'karras'],
    ['euler_ancestral_sgm_uniform', 'euler_ancestral', 'sgm_uniform'],
    ['k_dpmpp_2m_ka', 'k_dpmpp_2m', 'karras'],
    ['k_dpmpp_2m_sde_exp', 'k_dpmpp_2m_sde', 'exponential'],
    ['Some New Sampler Karras', 'Some New Sampler', 'Karras'],
  ])('splits %j into %j and %j', (name, sampler, scheduler) => {
    expect(splitCombinedSampler(name)).toEqual({ sampler, scheduler });
  });

  it.each([
    'Euler a',
    'DPM++ 2M',
    'DPM++ 2M SDE',
    'DPM++ 2M SDE Heun',
    'DDIM CFG++',
    'Euler SGM',
    'BDIA DDIM',
    'CogX DDIM',
    'Heun FlowMatch',
    'Karras',
    'Some New Sampler Simple',
    'k_euler_a',
  ])('keeps %j whole when it names no schedule', (name) => {
    expect(splitCombinedSampler(name)).toEqual({ sampler: name });
  });

  it.each(FORGE_CLASSIC_SAMPLERS.filter((name) => / (Karras|Exponential|Turbo|SGMUniform)$/.test(name)))(
    'splits every combined Forge Classic name: %j',
    (name) => {
      const split = splitCombinedSampler(name);
      expect(split.scheduler).toBeDefined();
      expect(`${split.sampler} ${split.scheduler}`).toBe(name);
    },
  );
});

describe('matchSampler', () => {
  it.each([
    ['DPM++ 2M', SDCPP_SAMPLERS, 'dpm++2m'],
    ['k_dpmpp_2m', COMFY_SAMPLERS, 'dpmpp_2m'],
    ['dpmpp_2m', A1111_SAMPLERS, 'DPM++ 2M'],
    ['dpm++2m', SDNEXT_SAMPLERS, 'DPM++ 2M'],
    ['euler_ancestral', A1111_SAMPLERS, 'Euler a'],
    ['Euler a', COMFY_SAMPLERS, 'euler_ancestral'],
    ['euler a', SDCPP_SAMPLERS, 'euler_a'],
    ['DDIM', SDCPP_SAMPLERS, 'ddim_trailing'],
    ['uni_pc', SDNEXT_SAMPLERS, 'UniPC'],
    ['ER-SDE', COMFY_SAMPLERS, 'er_sde'],
    ['heunpp2', FORGE_SAMPLERS, 'HeunPP2'],
    ['DPM++ 2M Karras', FORGE_CLASSIC_SAMPLERS, 'DPM++ 2M Karras'],
    ['k_dpmpp_2m_ka', FORGE_CLASSIC_SAMPLERS, 'DPM++ 2M Karras'],
    ['dpmpp_2m_sgm_uniform', FORGE_CLASSIC_SAMPLERS, 'DPM++ 2M SGMUniform'],
    ['seeds_2', COMFY_SAMPLERS, 'seeds_2'],
    ['Lawson 2S A', SDNEXT_SAMPLERS, 'Lawson 2S A'],
  ])('finds %j on a server as %j', (wanted, available, expected) => {
    expect(matchSampler(wanted, available)).toBe(expected);
  });

  it('prefers the same spelling over a sampler with the same key when both are listed', () => {
    expect(matchSampler('lmsd', ['LMS', 'LMSD'])).toBe('LMSD');
    expect(matchSampler('lms', ['LMSD', 'LMS'])).toBe('LMS');
  });

  it.each([
    ['DPM++ 2M Karras', A1111_SAMPLERS],
    ['DPM++ SDE', SDCPP_SAMPLERS],
    ['Restart', COMFY_SAMPLERS],
    ['', A1111_SAMPLERS],
    ['Euler a', []],
  ])('returns undefined for %j when the server has no such sampler', (wanted, available) => {
    expect(matchSampler(wanted, available)).toBeUndefined();
  });
});

describe('matchScheduler', () => {
  it.each([
    ['Karras', SDCPP_SCHEDULERS, 'karras'],
    ['karras', A1111_SCHEDULERS, 'Karras'],
    ['SGM Uniform', COMFY_SCHEDULERS, 'sgm_uniform'],
    ['SGMUniform', A1111_SCHEDULERS, 'SGM Uniform'],
    ['Align Your Steps', SDCPP_SCHEDULERS, 'ays'],
    ['ays', FORGE_SCHEDULERS, 'Align Your Steps'],
    ['Automatic', SDCPP_SCHEDULERS, 'default'],
    ['default', A1111_SCHEDULERS, 'Automatic'],
    ['Normal', SDCPP_SCHEDULERS, 'normal'],
    ['DDIM', COMFY_SCHEDULERS, 'ddim_uniform'],
    ['ddim_uniform', A1111_SCHEDULERS, 'DDIM'],
    ['gits', FORGE_SCHEDULERS, 'Align Your Steps GITS'],
  ])('finds %j on a server as %j', (wanted, available, expected) => {
    expect(matchScheduler(wanted, available)).toBe(expected);
  });

  it.each([
    ['Automatic', COMFY_SCHEDULERS],
    ['Turbo', A1111_SCHEDULERS],
    ['bong_tangent', FORGE_SCHEDULERS],
  ])('returns undefined for %j when the server has no such scheduler', (wanted, available) => {
    expect(matchScheduler(wanted, available)).toBeUndefined();
  });
});

/**
 * Every A1111 1.10 sampler, and what it becomes on each other server: `=` marks the same sampler,
 * `~` the nearest equivalent (with a reason).
 */
const A1111_ELSEWHERE: readonly (readonly [
  a1111: string,
  sdcpp: string,
  sdnext: string,
  forge: string,
  comfy: string,
  kobold: string,
])[] = [
  ['DPM++ 2M', '=dpm++2m', '=DPM++ 2M', '=DPM++ 2M', '=dpmpp_2m', '=DPM++ 2M'],
  ['DPM++ SDE', '~dpm++2m_sde', '=DPM++ SDE', '=DPM++ SDE', '=dpmpp_sde', '~DPM++ 2M'],
  ['DPM++ 2M SDE', '=dpm++2m_sde', '=DPM++ 2M SDE', '=DPM++ 2M SDE', '=dpmpp_2m_sde', '~DPM++ 2M'],
  [
    'DPM++ 2M SDE Heun',
    '~dpm++2m_sde',
    '~DPM++ 2M SDE',
    '=DPM++ 2M SDE Heun',
    '=dpmpp_2m_sde_heun',
    '~DPM++ 2M',
  ],
  ['DPM++ 2S a', '=dpm++2s_a', '~Euler a', '=DPM++ 2S a', '=dpmpp_2s_ancestral', '~Euler a'],
  ['DPM++ 3M SDE', '~dpm++2m_sde', '=DPM++ 3M SDE', '=DPM++ 3M SDE', '=dpmpp_3m_sde', '~DPM++ 2M'],
  ['Euler a', '=euler_a', '=Euler a', '=Euler a', '=euler_ancestral', '=Euler a'],
  ['Euler', '=euler', '=Euler', '=Euler', '=euler', '=Euler'],
  ['LMS', '=lms', '=LMSD', '=LMS', '=lms', '~Euler'],
  ['Heun', '=heun', '=Heun', '=Heun', '=heun', '=Heun'],
  ['DPM2', '=dpm2', '=KDPM2', '=DPM2', '=dpm_2', '=DPM2'],
  ['DPM2 a', '~euler_a', '=KDPM2 a', '=DPM2 a', '=dpm_2_ancestral', '~Euler a'],
  ['DPM fast', '~euler', '~Euler', '=DPM fast', '=dpm_fast', '~Euler'],
  ['DPM adaptive', '~euler', '~Euler', '=DPM adaptive', '=dpm_adaptive', '~Euler'],
  ['Restart', '~heun', '~Heun', '=Restart', '~heun', '~Heun'],
  ['DDIM', '=ddim_trailing', '=DDIM', '=DDIM', '=ddim', '~Euler'],
  ['DDIM CFG++', '~ddim_trailing', '~DDIM', '=DDIM CFG++', '~ddim', '~Euler'],
  ['PLMS', '~ipndm', '~PNDM', '=PLMS', '~ipndm', '~Euler'],
  ['UniPC', '~dpm++2m', '=UniPC', '=UniPC', '=uni_pc', '~DPM++ 2M'],
  ['LCM', '=lcm', '=LCM', '=LCM', '=lcm', '=LCM'],
];

const SERVERS = [
  ['stable-diffusion.cpp', SDCPP_SAMPLERS, 1],
  ['SD.Next', SDNEXT_SAMPLERS, 2],
  ['Forge', FORGE_SAMPLERS, 3],
  ['ComfyUI', COMFY_SAMPLERS, 4],
  ['KoboldCpp', KOBOLDCPP_SAMPLERS, 5],
] as const;

describe('nearestSampler', () => {
  it('covers every sampler A1111 lists', () => {
    expect(A1111_ELSEWHERE.map((row) => row[0])).toEqual([...A1111_SAMPLERS]);
  });

  for (const [server, available, column] of SERVERS) {
    it.each(A1111_ELSEWHERE.map((row) => [row[0], row[column]] as const))(
      `maps the A1111 sampler %j to %j on ${server}`,
      (a1111, expected) => {
        const choice = nearestSampler(a1111, available);
        expect(choice.name).toBe(expected.slice(1));
        expect(choice.exact).toBe(expected.startsWith('='));
        if (choice.exact) expect(choice.reason).toBeUndefined();
        else expect(choice.reason).toContain(`"${a1111}"`);
      },
    );
  }

  it.each(
    A1111_ELSEWHERE.flatMap((row) =>
      SERVERS.filter(([, , column]) => row[column].startsWith('=')).map(
        ([server, , column]) => [row[column].slice(1), server, row[0]] as const,
      ),
    ),
  )('maps %j from %s back to the A1111 sampler %j', (name, _server, a1111) => {
    expect(nearestSampler(name, A1111_SAMPLERS)).toEqual({ name: a1111, exact: true });
  });

  it.each([
    ['dpmpp_2m_sde_gpu', COMFY_SAMPLERS, 'dpmpp_2m_sde_gpu'],
    ['dpmpp_2m_sde_gpu', A1111_SAMPLERS, 'DPM++ 2M SDE'],
    ['dpm++2m_sde_bt', A1111_SAMPLERS, 'DPM++ 2M SDE'],
    ['dpmpp_2m_sde', ['Euler a', 'DPM++ 2M', 'Euler'], 'DPM++ 2M'],
    ['euler_a_cfg_pp', A1111_SAMPLERS, 'Euler a'],
    ['euler_ancestral_cfg_pp', SDCPP_SAMPLERS, 'euler_a_cfg_pp'],
    ['euler_cfg_pp', A1111_SAMPLERS, 'Euler'],
    ['dpm++2mv2', A1111_SAMPLERS, 'DPM++ 2M'],
    ['dpmpp_2m_cfg_pp', SDCPP_SAMPLERS, 'dpm++2m'],
    ['uni_pc_bh2', A1111_SAMPLERS, 'UniPC'],
    ['dpmpp_sde_gpu', A1111_SAMPLERS, 'DPM++ SDE'],
    ['dpmpp_3m_sde_gpu', SDCPP_SAMPLERS, 'dpm++2m_sde_bt'],
    ['ipndm_v', A1111_SAMPLERS, 'PLMS'],
    ['res_2s', COMFY_SAMPLERS, 'res_multistep'],
    ['er_sde', A1111_SAMPLERS, 'DPM++ 2M SDE'],
    ['tcd', A1111_SAMPLERS, 'LCM'],
    ['ddpm', A1111_SAMPLERS, 'Euler a'],
    ['heunpp2', A1111_SAMPLERS, 'Heun'],
    ['sa_solver_pece', SDNEXT_SAMPLERS, 'SA Solver'],
  ])('maps %j to its nearest equivalent when the server lacks it', (wanted, available, expected) => {
    const choice = nearestSampler(wanted, available);
    expect(choice).toMatchObject({ name: expected });
    expect(choice.exact).toBe(matchSampler(wanted, available) !== undefined);
  });

  it('splits a combined name for a server that takes the scheduler apart', () => {
    expect(nearestSampler('DPM++ 2M Karras', A1111_SAMPLERS)).toEqual({
      name: 'DPM++ 2M',
      exact: true,
      scheduler: 'Karras',
    });
    expect(nearestSampler('DPM++ 2M SDE Exponential', COMFY_SAMPLERS)).toEqual({
      name: 'dpmpp_2m_sde',
      exact: true,
      scheduler: 'Exponential',
    });
  });

  it('keeps the schedule of a combined name when only a nearest sampler is found', () => {
    const choice = nearestSampler('DPM++ 3M SDE Karras', SDCPP_SAMPLERS);
    expect(choice).toMatchObject({ name: 'dpm++2m_sde', exact: false, scheduler: 'Karras' });
  });

  it('keeps a combined name whole on a server that lists it', () => {
    expect(nearestSampler('DPM++ 2M Karras', FORGE_CLASSIC_SAMPLERS)).toEqual({
      name: 'DPM++ 2M Karras',
      exact: true,
    });
  });

  it.each([
    ['Totally Unknown', SDCPP_SAMPLERS, undefined, 'default'],
    ['Totally Unknown', A1111_SAMPLERS, undefined, 'DPM++ 2M'],
    ['Totally Unknown', SDNEXT_SAMPLERS, undefined, 'UniPC'],
    ['Totally Unknown', COMFY_SAMPLERS, 'dpmpp_2m', 'dpmpp_2m'],
    ['Totally Unknown', A1111_SAMPLERS, 'euler a', 'Euler a'],
  ])('falls back to the server default for %j', (wanted, available, serverDefault, expected) => {
    const choice = nearestSampler(wanted, available, serverDefault);
    expect(choice.name).toBe(expected);
    expect(choice.exact).toBe(false);
    expect(choice.reason).toBe(
      `This server has no sampler "${wanted}" or a close one; using its default, "${expected}".`,
    );
  });

  it('gives the server default as exact when the default is asked for', () => {
    expect(nearestSampler('Default', SDCPP_SAMPLERS)).toEqual({ name: 'default', exact: true });
    expect(nearestSampler('default', A1111_SAMPLERS, 'Euler a')).toEqual({ name: 'Euler a', exact: true });
  });

  it('says so when the default is asked for and the server has none', () => {
    expect(nearestSampler('default', COMFY_SAMPLERS)).toEqual({
      name: 'euler',
      exact: false,
      reason: 'This server has no automatic sampler; using "euler", the first it lists.',
    });
  });

  it('sends the name unchanged when the server lists no samplers', () => {
    expect(nearestSampler('Euler a', [])).toEqual({
      name: 'Euler a',
      exact: false,
      reason: 'The server lists no samplers; sending "Euler a" unchanged.',
    });
  });
});

/** Every A1111 scheduler on the other servers that take a scheduler. */
const A1111_SCHEDULERS_ELSEWHERE: readonly (readonly [
  a1111: string,
  sdcpp: string,
  forge: string,
  comfy: string,
])[] = [
  ['Automatic', '=default', '=Automatic', '~simple'],
  ['Uniform', '~discrete', '=Uniform', '~normal'],
  ['Karras', '=karras', '=Karras', '=karras'],
  ['Exponential', '=exponential', '=Exponential', '=exponential'],
  ['Polyexponential', '~exponential', '=Polyexponential', '~exponential'],
  ['SGM Uniform', '=sgm_uniform', '=SGM Uniform', '=sgm_uniform'],
  ['KL Optimal', '=kl_optimal', '=KL Optimal', '=kl_optimal'],
  ['Align Your Steps', '=ays', '=Align Your Steps', '~karras'],
  ['Simple', '=simple', '=Simple', '=simple'],
  ['Normal', '=normal', '=Normal', '=normal'],
  ['DDIM', '~simple', '=DDIM', '=ddim_uniform'],
  ['Beta', '=beta', '=Beta', '=beta'],
];

const SCHEDULER_SERVERS = [
  ['stable-diffusion.cpp', SDCPP_SCHEDULERS, 1],
  ['Forge', FORGE_SCHEDULERS, 2],
  ['ComfyUI', COMFY_SCHEDULERS, 3],
] as const;

describe('nearestScheduler', () => {
  it('covers every scheduler A1111 lists', () => {
    expect(A1111_SCHEDULERS_ELSEWHERE.map((row) => row[0])).toEqual([...A1111_SCHEDULERS]);
  });

  for (const [server, available, column] of SCHEDULER_SERVERS) {
    it.each(A1111_SCHEDULERS_ELSEWHERE.map((row) => [row[0], row[column]] as const))(
      `maps the A1111 scheduler %j to %j on ${server}`,
      (a1111, expected) => {
        const choice = nearestScheduler(a1111, available);
        expect(choice.name).toBe(expected.slice(1));
        expect(choice.exact).toBe(expected.startsWith('='));
        expect(choice.reason === undefined).toBe(choice.exact);
      },
    );
  }

  it.each(
    A1111_SCHEDULERS_ELSEWHERE.flatMap((row) =>
      SCHEDULER_SERVERS.filter(([, , column]) => row[column].startsWith('=')).map(
        ([server, , column]) => [row[column].slice(1), server, row[0]] as const,
      ),
    ),
  )('maps %j from %s back to the A1111 scheduler %j', (name, _server, a1111) => {
    expect(nearestScheduler(name, A1111_SCHEDULERS)).toEqual({ name: a1111, exact: true });
  });

  it.each([
    ['Align Your Steps 32', A1111_SCHEDULERS, 'Align Your Steps'],
    ['Align Your Steps GITS', SDCPP_SCHEDULERS, 'gits'],
    ['Turbo', A1111_SCHEDULERS, 'Simple'],
    ['linear_quadratic', SDCPP_SCHEDULERS, 'simple'],
    ['smoothstep', A1111_SCHEDULERS, 'Simple'],
    ['discrete', COMFY_SCHEDULERS, 'normal'],
    ['lcm', COMFY_SCHEDULERS, 'sgm_uniform'],
  ])('maps %j to its nearest equivalent %j', (wanted, available, expected) => {
    const choice = nearestScheduler(wanted, available);
    expect(choice.name).toBe(expected);
  });

  it.each([
    ['bong_tangent', A1111_SCHEDULERS, undefined, 'Automatic'],
    ['flux2', COMFY_SCHEDULERS, undefined, 'simple'],
    ['flux2', COMFY_SCHEDULERS, 'normal', 'normal'],
    ['Made Up', SDCPP_SCHEDULERS, undefined, 'default'],
  ])('falls back to the server default for %j', (wanted, available, serverDefault, expected) => {
    expect(nearestScheduler(wanted, available, serverDefault)).toEqual({
      name: expected,
      exact: false,
      reason: `This server has no scheduler "${wanted}" or a close one; using its default, "${expected}".`,
    });
  });
});

describe('toCombinedSampler', () => {
  it.each([
    ['DPM++ 2M', 'Karras', 'DPM++ 2M Karras'],
    ['dpmpp_2m', 'karras', 'DPM++ 2M Karras'],
    ['DPM++ SDE', 'Karras', 'DPM++ SDE Karras'],
    ['DPM++ 2M SDE', 'Exponential', 'DPM++ 2M SDE Exponential'],
    ['DPM++ 2M SDE Heun', 'exponential', 'DPM++ 2M SDE Heun Exponential'],
    ['Euler a', 'Turbo', 'Euler A Turbo'],
    ['euler_ancestral', 'SGM Uniform', 'Euler A SGMUniform'],
    ['LCM', 'Karras', 'LCM Karras'],
    ['DPM++ 2M Karras', undefined, 'DPM++ 2M Karras'],
    ['Euler a', undefined, 'Euler a'],
    ['Euler a', 'Automatic', 'Euler a'],
    ['DPM++ 2M', 'default', 'DPM++ 2M'],
  ])('names %j with %j as %j on Forge Classic', (sampler, scheduler, expected) => {
    expect(toCombinedSampler(sampler, scheduler, FORGE_CLASSIC_SAMPLERS)).toEqual({
      name: expected,
      exact: true,
    });
  });

  it('uses the sampler alone when the server has no such combination', () => {
    expect(toCombinedSampler('Euler', 'Karras', FORGE_CLASSIC_SAMPLERS)).toEqual({
      name: 'Euler',
      exact: false,
      reason: 'This server has no sampler "Euler Karras"; using "Euler" with its own schedule.',
    });
  });

  it('uses the same schedule on the nearest sampler when the sampler is missing', () => {
    expect(toCombinedSampler('dpmpp_sde_gpu', 'Karras', FORGE_CLASSIC_SAMPLERS)).toEqual({
      name: 'DPM++ SDE Karras',
      exact: false,
      reason:
        'This server has no sampler "dpmpp_sde_gpu Karras"; using the nearest it has, "DPM++ SDE Karras".',
    });
  });

  it('falls back to the server default when nothing is near', () => {
    expect(toCombinedSampler('Mystery', 'Karras', FORGE_CLASSIC_SAMPLERS, 'Euler a')).toEqual({
      name: 'Euler a',
      exact: false,
      reason: 'This server has no sampler "Mystery Karras"; using "Euler a" with its own schedule.',
    });
  });
});
