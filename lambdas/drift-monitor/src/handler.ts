/**
 * drift-monitor (EventBridge schedule): PSI of each model's recent feature distribution against its
 * reference; publishes `DriftScore` (dimension ModelName), alerts above `DRIFT_THRESHOLD`, and returns
 * the per-feature scores.
 */
import { lambdaHandler, parseScheduledEvent } from "@tradai/lambda-common";
import { config } from "./config";
import { type DriftReport, runDriftMonitor } from "./monitor";

export const handler = lambdaHandler("drift-monitor", async (event): Promise<DriftReport> => {
  parseScheduledEvent(event);
  const report = await runDriftMonitor(config());
  if (report.failures.length > 0) {
    // Scores that could be computed are published; the run still fails so the error is visible.
    throw new Error(
      `drift could not be scored for ${report.failures.map((f) => `${f.modelName} (${f.error})`).join("; ")}`,
    );
  }
  return report;
});
