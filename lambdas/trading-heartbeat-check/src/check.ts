/** One heartbeat check: find stale beats, publish `StaleHeartbeats`, alert when there are any. */
import { PLATFORM_METRICS } from "@tradai/contracts";
import { logger, publishAlert, putOperationalMetrics } from "@tradai/lambda-common";
import type { HeartbeatCheckEnv } from "./config";
import { scanHeartbeats } from "./heartbeats";
import { findStaleHeartbeats, type StaleHeartbeat } from "./stale";

export const SOURCE = "trading-heartbeat-check";

export interface HeartbeatReport {
  checked: number;
  staleSeconds: number;
  stale: StaleHeartbeat[];
}

function describe(beat: StaleHeartbeat): string {
  if (beat.missing) return `${beat.serviceId}: no heartbeat item at all`;
  return beat.ageSeconds === null
    ? `${beat.serviceId}: unreadable lastBeatAt ${JSON.stringify(beat.lastBeatAt)}`
    : `${beat.serviceId}: last beat ${beat.lastBeatAt} (${beat.ageSeconds} s ago)`;
}

export async function runHeartbeatCheck(env: HeartbeatCheckEnv, now: Date): Promise<HeartbeatReport> {
  const beats = await scanHeartbeats(env.HEARTBEATS_TABLE);
  const stale = findStaleHeartbeats(beats, now, env.HEARTBEAT_STALE_SECONDS, env.EXPECTED_HEARTBEAT_SERVICES);
  const report = { checked: beats.length, staleSeconds: env.HEARTBEAT_STALE_SECONDS, stale };

  // Published on every run, 0 included, so an alarm can tell "all fresh" from "check not running".
  await putOperationalMetrics([
    { name: PLATFORM_METRICS.staleHeartbeats, value: stale.length, unit: "Count" },
  ]);
  if (stale.length === 0) {
    logger.info("all heartbeats fresh", { checked: beats.length });
    return report;
  }
  logger.warn("stale trading heartbeats", { ...report });
  await publishAlert(
    env.ALERTS_TOPIC_ARN,
    SOURCE,
    {
      severity: "critical",
      title: `Stale trading heartbeat: ${stale.map((s) => s.serviceId).join(", ")}`,
      message: `No heartbeat within ${env.HEARTBEAT_STALE_SECONDS} s:\n${stale.map(describe).join("\n")}`,
      details: { staleSeconds: env.HEARTBEAT_STALE_SECONDS, stale },
    },
    env.ENVIRONMENT,
    now,
  );
  return report;
}
