/** Which trading heartbeats are stale: pure, so the threshold logic is tested without a table. */

/** The part of a heartbeats-table item this check reads. */
export interface HeartbeatLike {
  serviceId: string;
  /** ISO-8601 time of the last beat. */
  lastBeatAt: string;
}

/** A heartbeat older than the threshold. `ageSeconds` is null when `lastBeatAt` is not a valid time. */
export interface StaleHeartbeat {
  serviceId: string;
  lastBeatAt: string;
  ageSeconds: number | null;
}

/**
 * Heartbeats whose last beat is more than `staleSeconds` before `now`, oldest first. An unreadable
 * `lastBeatAt` counts as stale: a service whose beat cannot be read is not known to be alive.
 */
export function findStaleHeartbeats(
  items: readonly HeartbeatLike[],
  now: Date,
  staleSeconds: number,
): StaleHeartbeat[] {
  const stale: StaleHeartbeat[] = [];
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
