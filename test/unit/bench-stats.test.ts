import { describe, expect, it } from 'vitest';
import { linearTrend, percentile } from '../../bench/stats.js';

describe('bench statistics', () => {
  it('finds the slope of a steady climb and no noise when the readings lie on a line', () => {
    const trend = linearTrend([100, 102, 104, 106, 108]);
    expect(trend.slope).toBeCloseTo(2);
    expect(trend.intercept).toBeCloseTo(100);
    expect(trend.residualSd).toBeCloseTo(0);
  });

  it('sees no trend in readings that only jump around, but reports their spread', () => {
    const trend = linearTrend([200, 230, 200, 230, 200, 230, 200, 230, 215]);
    expect(Math.abs(trend.slope * 8)).toBeLessThan(10);
    expect(trend.residualSd).toBeGreaterThan(10);
  });

  it('takes nearest-rank percentiles', () => {
    const values = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(percentile(values, 50)).toBe(50);
    expect(percentile(values, 95)).toBe(95);
    expect(percentile([], 50)).toBeNaN();
  });
});
