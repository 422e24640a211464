/**
 * drift-monitor (EventBridge schedule): PSI of each model's recent feature distribution against its
 * reference; publishes `DriftScore` (dimension ModelName), alerts above `DRIFT_THRESHOLD`, and returns
 * the per-feature scores.
 */
import { logger, parseScheduledEvent } from "@tradai/lambda-common";
import type { Context } from "aws-lambda";
import { config } from "./config";
import { type DriftReport, runDriftMonitor } from "./monitor";

export async function handler(event: unknown, context?: Context): Promise<DriftReport> {
  if (context) logger.addContext(context);
  try {
    parseScheduledEvent(event);
    const report = await runDriftMonitor(config());
    if (report.failures.length > 0) {
      // Scores that could be computed are published; the run still fails so the error is visible.
      throw new Error(
        `drift could not be scored for ${report.failures.map((f) => `${f.modelName} (${f.error})`).join("; ")}`,
      );
    }
    return report;
  } catch (error) {
    logger.error("drift-monitor failed", { error: error as Error });
    throw error;
  }
}
