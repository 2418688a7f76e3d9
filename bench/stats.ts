/** Order statistics for benchmark samples (nearest-rank percentiles, no interpolation). */

export interface Summary {
  n: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

/** The nearest-rank percentile `p` (0–100) of `values`; NaN when there are none. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length)));
  return sorted[rank - 1] ?? Number.NaN;
}

export function summarize(values: readonly number[]): Summary {
  return {
    n: values.length,
    p50: percentile(values, 50),
    p95: percentile(values, 95),
    p99: percentile(values, 99),
    max: values.length === 0 ? Number.NaN : Math.max(...values),
  };
}

/** Rounds for the report: 0.1 ms for small figures, whole units above 100. */
export function round(value: number, digits = 1): number {
  if (!Number.isFinite(value)) return value;
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}

export interface Trend {
  /** Change per step of x. */
  slope: number;
  intercept: number;
  /** Standard deviation of the readings around the line: the noise. */
  residualSd: number;
}

/** Least-squares line through (0, ys[0]), (1, ys[1]), …: a trend that one noisy reading cannot fake. */
export function linearTrend(ys: readonly number[]): Trend {
  const n = ys.length;
  if (n < 2) return { slope: 0, intercept: ys[0] ?? Number.NaN, residualSd: 0 };
  const meanX = (n - 1) / 2;
  const meanY = ys.reduce((sum, y) => sum + y, 0) / n;
  let sxy = 0;
  let sxx = 0;
  ys.forEach((y, x) => {
    sxy += (x - meanX) * (y - meanY);
    sxx += (x - meanX) ** 2;
  });
  const slope = sxy / sxx;
  const intercept = meanY - slope * meanX;
  const squares = ys.reduce((sum, y, x) => sum + (y - (intercept + slope * x)) ** 2, 0);
  return { slope, intercept, residualSd: Math.sqrt(squares / Math.max(1, n - 2)) };
}
