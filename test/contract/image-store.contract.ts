import { describe, expect, it } from 'vitest';
import { eventually, type SharedStore, useSharedStore } from './stores-kit.js';

const bytes = (text: string) => Buffer.from(text);

/** The ImageStore contract: every adapter registers these same cases with its own store and folder. */
export function defineImageStoreContract(name: string, makeStore: () => Promise<SharedStore>): void {
  describe(`ImageStore contract (${name})`, () => {
    const shared = useSharedStore(makeStore);

    it('serves another process the images one process kept, and their count within moments', async () => {
      const [one, two] = await shared.pair();
      await one.images.save('job_A', [bytes('first'), bytes('second')], 1_000);
      expect(one.images.count('job_A')).toBe(2);
      expect((await two.images.get('job_A', 1))?.toString()).toBe('second');
      await eventually(() => expect(two.images.count('job_A')).toBe(2));
      expect(await two.images.get('job_A', 2)).toBeUndefined();
      expect(two.images.count('job_B')).toBe(0);
      expect(shared.store().files()).toEqual(['job_A-0.img', 'job_A-1.img']);
    });

    it('replaces a job’s images and deletes the extra files when it is saved again', async () => {
      const [one, two] = await shared.pair();
      await one.images.save('job', [bytes('a'), bytes('b'), bytes('c')], 1);
      await two.images.save('job', [bytes('x')], 2);
      expect(two.images.count('job')).toBe(1);
      await eventually(() => expect(one.images.count('job')).toBe(1));
      expect((await one.images.get('job', 0))?.toString()).toBe('x');
      expect(await one.images.get('job', 1)).toBeUndefined();
      expect(shared.store().files()).toEqual(['job-0.img']);
    });

    it('forgets a job’s images in every process when one process removes them', async () => {
      const [one, two] = await shared.pair();
      await one.images.save('job', [bytes('a'), bytes('b')], 1);
      await eventually(() => expect(two.images.count('job')).toBe(2));
      await two.images.remove('job');
      expect(two.images.count('job')).toBe(0);
      await eventually(() => expect(one.images.count('job')).toBe(0));
      expect(await one.images.get('job', 0)).toBeUndefined();
      expect(shared.store().files()).toEqual([]);
    });

    it('never builds a path from a foreign id, nor finds anything under one', async () => {
      const { images } = await shared.open();
      await expect(images.save('../evil', [bytes('a')], 1)).rejects.toThrow(/not an image of a job/);
      expect(await images.get('../evil', 0)).toBeUndefined();
      expect(await images.get('job', -1)).toBeUndefined();
      await images.remove('../evil');
      expect(images.count('../evil')).toBe(0);
      expect(shared.store().files()).toEqual([]);
    });

    it('prunes images and input images older than the cutoff once, whichever processes prune', async () => {
      const [one, two] = await shared.pair();
      const store = shared.store();
      const old = await store.addFinishedJob(100);
      const recent = await store.addFinishedJob(5_000);
      await one.images.save(old, [bytes('a'), bytes('b')], 100);
      await one.images.save('other_old', [bytes('c')], 200);
      await two.images.save(recent, [bytes('d')], 5_000);
      await eventually(() => expect(two.images.count(old)).toBe(2));
      const removed = await Promise.all([one.images.pruneBefore(1_000), two.images.pruneBefore(1_000)]);
      expect(removed[0] + removed[1]).toBe(3);
      for (const { images } of [one, two]) {
        await eventually(() => {
          expect(images.count(old)).toBe(0);
          expect(images.count('other_old')).toBe(0);
          expect(images.count(recent)).toBe(1);
        });
      }
      expect(await two.images.get(old, 0)).toBeUndefined();
      expect((await one.images.get(recent, 0))?.toString()).toBe('d');
      expect(store.files()).toEqual([`${recent}-0.img`]);
      expect(await store.initImageOf(old)).toBeUndefined();
      expect(await store.initImageOf(recent)).toBe('aGVsbG8=');
    });

    it('ends every process on the table’s count when one process saves a job as another removes it', async () => {
      const [one, two] = await shared.pair();
      for (let round = 0; round < 15; round++) {
        const images = Array.from({ length: 1 + (round % 3) }, () => bytes('c'));
        await Promise.all([one.images.save('job', images, round), two.images.remove('job')]);
      }
      const later = await shared.open();
      const kept = later.images.count('job');
      await eventually(() => {
        expect(one.images.count('job')).toBe(kept);
        expect(two.images.count('job')).toBe(kept);
      });
    });

    it('counts what was kept before a process started', async () => {
      const first = await shared.open();
      await first.images.save('job', [bytes('a'), bytes('b'), bytes('c')], 1);
      await first.close();
      const later = await shared.open();
      expect(later.images.count('job')).toBe(3);
      expect((await later.images.get('job', 2))?.toString()).toBe('c');
    });
  });
}
