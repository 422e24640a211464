/** Checked lookups into earlier layers' outputs, with errors that say which layer to fix or redeploy. */

/** `record[key]`, or an error naming the layer output and the keys that do exist. */
export function requireKey<T>(record: Record<string, T>, key: string, what: string): T {
  const value = record[key];
  if (value === undefined) {
    throw new Error(
      `${what} has no "${key}" (has: ${Object.keys(record).sort().join(", ") || "nothing"}); deploy the layer that owns it first`,
    );
  }
  return value;
}

/**
 * Throws unless `record` has exactly the `expected` keys: the edge creates one alarm per expected key
 * before the upstream outputs are known, so an extra or missing key upstream would leave something
 * unwatched.
 */
export function requireExactKeys(
  record: Record<string, unknown>,
  expected: readonly string[],
  what: string,
): void {
  const actual = new Set(Object.keys(record));
  const wanted = new Set(expected);
  const missing = [...wanted].filter((k) => !actual.has(k)).sort();
  const extra = [...actual].filter((k) => !wanted.has(k)).sort();
  if (missing.length === 0 && extra.length === 0) return;
  throw new Error(
    `${what} does not match this checkout (missing: ${missing.join(", ") || "none"}; unexpected: ${extra.join(", ") || "none"}); ` +
      "deploy compute from the same commit as edge",
  );
}
