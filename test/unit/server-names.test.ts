import { describe, expect, it } from 'vitest';
import { type ServerNames, toServerNames } from '../../src/engines/server-names.js';
import type { Capabilities } from '../../src/engines/types.js';
import {
  A1111_SAMPLERS,
  A1111_SCHEDULERS,
  FORGE_CLASSIC_SAMPLERS,
  FORGE_SAMPLERS,
  FORGE_SCHEDULERS,
  KOBOLDCPP_SAMPLERS,
  SDCPP_SAMPLERS,
  SDCPP_SCHEDULERS,
  SDNEXT_SAMPLERS,
} from './fixtures/sampler-lists.js';

/** Each server's lists as its probe keeps them (scheduler labels), and how it takes a scheduler. */
const SERVERS: Record<string, { names: ServerNames; mode: Capabilities['schedulers'] }> = {
  a1111: { names: { samplers: A1111_SAMPLERS, schedulers: A1111_SCHEDULERS }, mode: 'separate' },
  forge: { names: { samplers: FORGE_SAMPLERS, schedulers: FORGE_SCHEDULERS }, mode: 'separate' },
  'forge-classic': { names: { samplers: FORGE_CLASSIC_SAMPLERS, schedulers: null }, mode: 'combined' },
  sdnext: { names: { samplers: SDNEXT_SAMPLERS, schedulers: null }, mode: 'none' },
  sdcpp: { names: { samplers: SDCPP_SAMPLERS, schedulers: SDCPP_SCHEDULERS }, mode: 'separate' },
  koboldcpp: { names: { samplers: KOBOLDCPP_SAMPLERS, schedulers: null }, mode: 'separate' },
};

type Row = [
  server: string,
  sampler: string,
  scheduler: string | undefined,
  sent: string,
  sentScheduler: string | undefined,
];

describe('toServerNames', () => {
  it.each<Row>([
    // The README's defaults (DEFAULT_SAMPLER `DPM++ 2M`, DEFAULT_SCHEDULER `Karras`) on every server.
    ['a1111', 'DPM++ 2M', 'Karras', 'DPM++ 2M', 'Karras'],
    ['forge', 'DPM++ 2M', 'Karras', 'DPM++ 2M', 'Karras'],
    ['forge-classic', 'DPM++ 2M', 'Karras', 'DPM++ 2M Karras', undefined],
    ['sdnext', 'DPM++ 2M', 'Karras', 'DPM++ 2M', undefined],
    ['sdcpp', 'DPM++ 2M', 'Karras', 'dpm++2m', 'karras'],
    ['koboldcpp', 'DPM++ 2M', 'Karras', 'DPM++ 2M', undefined],
    // Other spellings of the same samplers and schedulers.
    ['sdcpp', 'Euler a', 'Automatic', 'euler_a', 'default'],
    ['sdcpp', 'k_dpmpp_2m', 'SGM Uniform', 'dpm++2m', 'sgm_uniform'],
    ['sdcpp', 'DPM++ 2M SDE', 'Align Your Steps', 'dpm++2m_sde', 'ays'],
    ['sdcpp', 'DDIM', 'Normal', 'ddim_trailing', 'normal'],
    ['sdcpp', 'LCM', 'Simple', 'lcm', 'simple'],
    ['a1111', 'dpm++2m', 'karras', 'DPM++ 2M', 'Karras'],
    ['a1111', 'euler_a', 'sgm_uniform', 'Euler a', 'SGM Uniform'],
    ['forge', 'Euler a', 'Align Your Steps 32', 'Euler a', 'Align Your Steps 32'],
    ['koboldcpp', 'euler_a', undefined, 'Euler a', undefined],
    ['sdnext', 'euler_a', 'karras', 'Euler a', undefined],
    // A legacy combined name on servers that take the scheduler apart.
    ['a1111', 'DPM++ 2M Karras', undefined, 'DPM++ 2M', 'Karras'],
    ['sdcpp', 'DPM++ 2M Karras', undefined, 'dpm++2m', 'karras'],
    ['sdcpp', 'k_dpmpp_2m_ka', undefined, 'dpm++2m', 'karras'],
    ['sdnext', 'DPM++ 2M Karras', undefined, 'DPM++ 2M', undefined],
    // Servers that list combined names only.
    ['forge-classic', 'Euler a', 'Automatic', 'Euler a', undefined],
    ['forge-classic', 'DPM++ 2M SDE', 'Exponential', 'DPM++ 2M SDE Exponential', undefined],
    ['forge-classic', 'dpm++2m', 'sgm_uniform', 'DPM++ 2M SGMUniform', undefined],
    ['forge-classic', 'Euler', 'SGM Uniform', 'Euler SGMUniform', undefined],
  ])('sends %s "%s" + "%s" as "%s" + "%s"', (server, sampler, scheduler, sent, sentScheduler) => {
    const target = SERVERS[server] as (typeof SERVERS)[string];
    const wire = toServerNames({ sampler, scheduler }, target.names, target.mode);
    expect({ sampler: wire.sampler, scheduler: wire.scheduler }).toEqual({
      sampler: sent,
      scheduler: sentScheduler,
    });
    expect(wire.fallbacks).toEqual([]);
  });

  it.each<Row>([
    // Names a server lacks: its nearest equivalent, never a failed job.
    ['sdcpp', 'DPM++ 2M SDE Heun', 'Karras', 'dpm++2m_sde', 'karras'],
    ['sdcpp', 'DPM++ 2M', 'Polyexponential', 'dpm++2m', 'exponential'],
    ['sdcpp', 'UniPC', 'Karras', 'dpm++2m', 'karras'],
    ['a1111', 'Euler a', 'Align Your Steps 32', 'Euler a', 'Align Your Steps'],
    ['koboldcpp', 'DPM++ 2M SDE', undefined, 'DPM++ 2M', undefined],
    ['sdnext', 'DPM++ 2S a', undefined, 'Euler a', undefined],
    ['forge-classic', 'DPM++ 2M', 'Beta', 'DPM++ 2M', undefined],
  ])(
    'sends %s "%s" + "%s" as its nearest, "%s" + "%s", with one warning',
    (server, sampler, scheduler, sent, sentScheduler) => {
      const target = SERVERS[server] as (typeof SERVERS)[string];
      const wire = toServerNames({ sampler, scheduler }, target.names, target.mode);
      expect({ sampler: wire.sampler, scheduler: wire.scheduler }).toEqual({
        sampler: sent,
        scheduler: sentScheduler,
      });
      expect(wire.fallbacks).toHaveLength(1);
      // The warning names what runs instead.
      const named = [sent, sentScheduler].filter((name) => wire.fallbacks[0]?.includes(`"${name}"`));
      expect(named.length).toBeGreaterThan(0);
    },
  );

  it('falls back to the server’s own default for a name with nothing near it', () => {
    const { names, mode } = SERVERS.sdcpp as (typeof SERVERS)[string];
    const wire = toServerNames({ sampler: 'Heun FlowMatch', scheduler: 'Karras' }, names, mode);
    expect(wire.sampler).toBe('default');
    expect(wire.scheduler).toBe('karras');
    expect(wire.fallbacks).toHaveLength(1);
  });

  it('sends the names unchanged while the server’s lists are unknown', () => {
    const none: ServerNames = { samplers: [], schedulers: null };
    expect(toServerNames({ sampler: 'DPM++ 2M', scheduler: 'Karras' }, none, 'separate')).toEqual({
      sampler: 'DPM++ 2M',
      scheduler: 'Karras',
      fallbacks: [],
    });
    expect(toServerNames({ sampler: 'DPM++ 2M', scheduler: 'Karras' }, none, 'combined')).toEqual({
      sampler: 'DPM++ 2M',
      scheduler: undefined,
      fallbacks: [],
    });
  });
});
