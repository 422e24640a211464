/**
 * orphan-scanner (EventBridge schedule): lists resources tagged `Project=tradai` and reports those that no
 * Pulumi stack in the S3 state backend declares (log, alert, `OrphanedResources` metric).
 */
import { lambdaHandler, parseScheduledEvent } from "@tradai/lambda-common";
import { config } from "./config";
import { type OrphanReport, runOrphanScan } from "./scan";

export const handler = lambdaHandler("orphan-scanner", async (event): Promise<OrphanReport> => {
  parseScheduledEvent(event);
  return runOrphanScan(config());
});
