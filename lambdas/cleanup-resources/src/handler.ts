/**
 * cleanup-resources (EventBridge schedule): stops job tasks past `BACKTEST_MAX_RUNTIME_MINUTES`, marks
 * RUNNING jobs without progress for `JOB_STUCK_MINUTES` FAILED, deletes `backtests/` artifacts older than
 * `ARTIFACT_RETENTION_DAYS`; returns the counts. `dryRun` (in the event) only reports.
 */
import { lambdaHandler, logger } from "@tradai/lambda-common";
import { type CleanupReport, runCleanup } from "./cleanup";
import { config } from "./config";
import { parseCleanupEvent } from "./event";

export const handler = lambdaHandler("cleanup-resources", async (event): Promise<CleanupReport> => {
  const { dryRun } = parseCleanupEvent(event);
  const report = await runCleanup(config(), dryRun, new Date());
  logger.info("cleanup finished", { ...report });
  if (report.failures.length > 0) {
    throw new Error(`cleanup incomplete: ${report.failures.map((f) => `${f.part}: ${f.error}`).join("; ")}`);
  }
  return report;
});
