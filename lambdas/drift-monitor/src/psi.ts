/**
 * Population Stability Index between two binned distributions over the same bins:
 * PSI = sum_i (actual_i - expected_i) * ln(actual_i / expected_i), on proportions.
 * Common reading: < 0.1 stable, 0.1-0.25 moderate shift, > 0.25 significant shift.
 */

/**
 * Proportion used in place of an empty bin. Without it a bin that is empty on one side makes the
 * logarithm infinite; 1e-4 is the customary floor.
 */
export const PSI_EPSILON = 1e-4;

function proportions(counts: readonly number[], what: string): number[] {
  let total = 0;
  for (const count of counts) {
    if (!Number.isFinite(count) || count < 0) {
      throw new RangeError(`${what}: bin counts must be finite and non-negative, got ${count}`);
    }
    total += count;
  }
  if (total === 0) throw new RangeError(`${what}: the distribution is empty (all bins are 0)`);
  return counts.map((count) => Math.max(count / total, PSI_EPSILON));
}

/**
 * PSI of `actual` (recent) against `expected` (reference). Both are bin counts (or weights) over the
 * same bins; they are normalised here, so the sample sizes may differ.
 */
export function populationStabilityIndex(expected: readonly number[], actual: readonly number[]): number {
  if (expected.length !== actual.length) {
    throw new RangeError(
      `PSI needs the same bins: reference has ${expected.length}, recent has ${actual.length}`,
    );
  }
  if (expected.length === 0) throw new RangeError("PSI needs at least one bin");
  const e = proportions(expected, "reference");
  const a = proportions(actual, "recent");
  let psi = 0;
  for (let i = 0; i < e.length; i++) {
    const ei = e[i] as number;
    const ai = a[i] as number;
    psi += (ai - ei) * Math.log(ai / ei);
  }
  return psi;
}
