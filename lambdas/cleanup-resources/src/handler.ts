/**
 * cleanup-resources (EventBridge schedule): stops job tasks past `BACKTEST_MAX_RUNTIME_MINUTES`, marks
 * RUNNING jobs without progress for `JOB_STUCK_MINUTES` FAILED, deletes `backtests/` artifacts older than
 * `ARTIFACT_RETENTION_DAYS`; returns the counts. `dryRun` (in the event) only reports.
 */
import { logger } from "@tradai/lambda-common";
import type { Context } from "aws-lambda";
import { type CleanupReport, runCleanup } from "./cleanup";
import { config } from "./config";
import { parseCleanupEvent } from "./event";

export async function handler(event: unknown, context?: Context): Promise<CleanupReport> {
  if (context) logger.addContext(context);
  try {
    const { dryRun } = parseCleanupEvent(event);
    const report = await runCleanup(config(), dryRun, new Date());
    logger.info("cleanup finished", { ...report });
    if (report.failures.length > 0) {
      throw new Error(
        `cleanup incomplete: ${report.failures.map((f) => `${f.part}: ${f.error}`).join("; ")}`,
      );
    }
    return report;
  } catch (error) {
    logger.error("cleanup-resources failed", { error: error as Error });
    throw error;
  }
}
