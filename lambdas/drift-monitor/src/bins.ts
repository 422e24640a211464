/** Turning raw samples into bin counts, and choosing bin edges from a reference sample. */

/** Default number of quantile bins when the reference is given as raw samples. */
export const DEFAULT_BIN_COUNT = 10;

/**
 * Counts `samples` into the bins delimited by `edges` (n + 1 strictly increasing edges give n bins,
 * each `[lower, upper)`, the last one closed). Values outside the range fall into the outermost bins:
 * a shift beyond the reference range is exactly what drift detection must see, so it is not dropped.
 */
export function histogram(samples: readonly number[], edges: readonly number[]): number[] {
  const binCount = edges.length - 1;
  if (binCount < 1) throw new RangeError("bin edges need at least two values");
  const counts = new Array<number>(binCount).fill(0);
  for (const value of samples) {
    if (!Number.isFinite(value)) throw new RangeError(`samples must be finite numbers, got ${value}`);
    const index = binIndex(value, edges);
    counts[index] = (counts[index] ?? 0) + 1;
  }
  return counts;
}

function binIndex(value: number, edges: readonly number[]): number {
  const last = edges.length - 2;
  // Binary search for the last edge <= value among the inner edges.
  let low = 0;
  let high = last;
  while (low < high) {
    const mid = (low + high + 1) >> 1;
    if ((edges[mid] as number) <= value) low = mid;
    else high = mid - 1;
  }
  return low;
}

/**
 * Quantile edges of a reference sample: `binCount` bins of roughly equal mass. Repeated quantiles (a
 * sample with few distinct values) are merged, so the result may have fewer bins, never an empty-width one.
 */
export function quantileEdges(samples: readonly number[], binCount = DEFAULT_BIN_COUNT): number[] {
  if (samples.length === 0) throw new RangeError("cannot derive bins from an empty sample");
  const sorted = [...samples].sort((a, b) => a - b);
  const min = sorted[0] as number;
  const max = sorted[sorted.length - 1] as number;
  if (min === max) return [min, min + 1];
  const edges: number[] = [min];
  for (let i = 1; i < binCount; i++) {
    const q = sorted[Math.floor((i * sorted.length) / binCount)] as number;
    if (q > (edges[edges.length - 1] as number) && q < max) edges.push(q);
  }
  edges.push(max);
  return edges;
}
