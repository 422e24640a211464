/** Which trading heartbeats are stale: pure, so the threshold logic is tested without a table. */

/** The part of a heartbeats-table item this check reads. */
export interface HeartbeatLike {
  serviceId: string;
  /** ISO-8601 time of the last beat. */
  lastBeatAt: string;
}

/**
 * A heartbeat older than the threshold. `ageSeconds` is null when `lastBeatAt` is not a valid time or
 * the service has no heartbeat at all (`missing`).
 */
export interface StaleHeartbeat {
  serviceId: string;
  lastBeatAt: string;
  ageSeconds: number | null;
  missing?: true;
}

/**
 * Heartbeats whose last beat is more than `staleSeconds` before `now`, oldest first. An unreadable
 * `lastBeatAt` counts as stale: a service whose beat cannot be read is not known to be alive. Each of
 * `expected` without any item counts as stale too: once a dead service's item expires (TTL) it would
 * otherwise vanish from the check.
 */
export function findStaleHeartbeats(
  items: readonly HeartbeatLike[],
  now: Date,
  staleSeconds: number,
  expected: readonly string[] = [],
): StaleHeartbeat[] {
  const present = new Set(items.map((item) => item.serviceId));
  const stale: StaleHeartbeat[] = expected
    .filter((serviceId) => !present.has(serviceId))
    .map((serviceId) => ({ serviceId, lastBeatAt: "", ageSeconds: null, missing: true }));
  for (const item of items) {
    const beatAt = Date.parse(item.lastBeatAt);
    if (Number.isNaN(beatAt)) {
      stale.push({ serviceId: item.serviceId, lastBeatAt: item.lastBeatAt, ageSeconds: null });
      continue;
    }
    const ageSeconds = Math.floor((now.getTime() - beatAt) / 1000);
    if (ageSeconds > staleSeconds)
      stale.push({ serviceId: item.serviceId, lastBeatAt: item.lastBeatAt, ageSeconds });
  }
  return stale.sort(
    (a, b) => (b.ageSeconds ?? Number.POSITIVE_INFINITY) - (a.ageSeconds ?? Number.POSITIVE_INFINITY),
  );
}
