import { describe, expect, it } from 'vitest';
import { NEW_SPACE_CAP_BYTES, toGrowthFlag, toYoungGrowth } from '../../src/runtime/young-generation.js';

const MIB = 2 ** 20;

describe('toYoungGrowth', () => {
  it.each([
    [2 * MIB, true],
    [8 * MIB, true],
    [NEW_SPACE_CAP_BYTES - 1, true],
    [NEW_SPACE_CAP_BYTES, false],
    [32 * MIB, false],
  ])('lets a new space of %i bytes grow: %s', (bytes, grow) => {
    expect(toYoungGrowth(bytes)).toBe(grow);
  });

  it('holds at a cap given explicitly', () => {
    expect(toYoungGrowth(4 * MIB, 4 * MIB)).toBe(false);
  });
});

describe('toGrowthFlag', () => {
  it('doubles the semi-spaces when growing and holds them otherwise', () => {
    expect([toGrowthFlag(true), toGrowthFlag(false)]).toEqual([
      '--semi-space-growth-factor=2',
      '--semi-space-growth-factor=1',
    ]);
  });
});
