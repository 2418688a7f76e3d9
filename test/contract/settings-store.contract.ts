import { describe, expect, it } from 'vitest';
import { eventually, type SharedStore, useSharedStore } from './stores-kit.js';

/** The SettingsStore contract: every adapter registers these same cases with its own store. */
export function defineSettingsStoreContract(name: string, makeStore: () => Promise<SharedStore>): void {
  describe(`SettingsStore contract (${name})`, () => {
    const shared = useSharedStore(makeStore);

    it('reads back a default model, a policy and a value when one process wrote them', async () => {
      const { settings } = await shared.open();
      expect(settings.get('g1')).toEqual({ guildId: 'g1', defaultModel: undefined });
      expect(settings.getPolicyJson('g1')).toBeUndefined();
      expect(settings.getValue('commands-hash')).toBeUndefined();
      settings.setDefaultModel('g1', 'model [abc]');
      settings.setPolicyJson('g1', '{"hourlyLimit":3}');
      settings.setValue('commands-hash', 'h1');
      expect(settings.get('g1')).toEqual({ guildId: 'g1', defaultModel: 'model [abc]' });
      expect(settings.getPolicyJson('g1')).toBe('{"hourlyLimit":3}');
      expect(settings.getValue('commands-hash')).toBe('h1');
      // The policy write leaves the model alone, and clearing the model leaves the policy.
      settings.setDefaultModel('g1', undefined);
      expect(settings.get('g1').defaultModel).toBeUndefined();
      expect(settings.getPolicyJson('g1')).toBe('{"hourlyLimit":3}');
      expect(settings.get('g2').defaultModel).toBeUndefined();
    });

    it('shows another process a change within moments when one process writes', async () => {
      const [one, two] = await shared.pair();
      one.settings.setDefaultModel('g1', 'sdxl');
      one.settings.setPolicyJson('g1', '{"cooldownSeconds":30}');
      one.settings.setValue('k', 'v1');
      await eventually(() => {
        expect(two.settings.get('g1').defaultModel).toBe('sdxl');
        expect(two.settings.getPolicyJson('g1')).toBe('{"cooldownSeconds":30}');
        expect(two.settings.getValue('k')).toBe('v1');
      });
      two.settings.setDefaultModel('g1', undefined);
      two.settings.setValue('k', 'v2');
      await eventually(() => {
        expect(one.settings.get('g1').defaultModel).toBeUndefined();
        expect(one.settings.getValue('k')).toBe('v2');
      });
      expect(one.settings.getPolicyJson('g1')).toBe('{"cooldownSeconds":30}');
    });

    it('gives a process started later what the others wrote', async () => {
      const first = await shared.open();
      first.settings.setPolicyJson('g1', '{"a":1}');
      first.settings.setValue('k', 'v');
      await first.close();
      const later = await shared.open();
      expect(later.settings.getPolicyJson('g1')).toBe('{"a":1}');
      expect(later.settings.getValue('k')).toBe('v');
    });

    it('ends both processes on the later write when both write one setting in turn', async () => {
      const [one, two] = await shared.pair();
      for (let round = 0; round < 5; round++) {
        one.settings.setValue('k', `one-${round}`);
        two.settings.setValue('k', `two-${round}`);
      }
      // Each process's writes land in order; the last to commit wins everywhere.
      await eventually(() => {
        const seen = one.settings.getValue('k');
        expect(seen).toMatch(/^(one|two)-4$/);
        expect(two.settings.getValue('k')).toBe(seen);
      });
      // …and that is what the store holds: a process started now reads the same.
      const third = await shared.open();
      expect(third.settings.getValue('k')).toBe(one.settings.getValue('k'));
    });
  });
}
