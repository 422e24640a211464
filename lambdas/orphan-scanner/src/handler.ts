/**
 * orphan-scanner (EventBridge schedule): lists resources tagged `Project=tradai` and reports those that no
 * Pulumi stack in the S3 state backend declares (log, alert, `OrphanedResources` metric).
 */
import { logger, parseScheduledEvent } from "@tradai/lambda-common";
import type { Context } from "aws-lambda";
import { config } from "./config";
import { type OrphanReport, runOrphanScan } from "./scan";

export async function handler(event: unknown, context?: Context): Promise<OrphanReport> {
  if (context) logger.addContext(context);
  try {
    parseScheduledEvent(event);
    return await runOrphanScan(config());
  } catch (error) {
    logger.error("orphan-scanner failed", { error: error as Error });
    throw error;
  }
}
