/**
 * pulumi-drift-detector: on an EventBridge schedule, runs a refresh preview of each stack in
 * `PULUMI_STACKS` through the Pulumi Automation API (the CLI is installed in the image) and looks the
 * stack's docker-build images up in ECR, puts `StackDrift` per stack and alerts `ALERTS_TOPIC_ARN` when
 * anything drifted. Returns the per-stack report.
 */
import { lambdaHandler, logger, parseScheduledEvent } from "@tradai/lambda-common";
import type { Context } from "aws-lambda";
import { config } from "./config";
import { type DriftReport, detectDrift } from "./detect";
import { AutomationDriftWorkspace, type DriftWorkspace } from "./workspace";

/** Time kept back to publish metrics and the alert after aborting a preview that runs too long. */
const RESERVE_MS = 30_000;

export function createHandler(makeWorkspace?: () => DriftWorkspace) {
  return lambdaHandler("pulumi-drift-detector", async (event, context?: Context): Promise<DriftReport> => {
    const abort = new AbortController();
    const remaining = context?.getRemainingTimeInMillis();
    const timer =
      remaining === undefined ? undefined : setTimeout(() => abort.abort(), remaining - RESERVE_MS);
    try {
      const scheduled = parseScheduledEvent(event);
      const cfg = config();
      const workspace =
        makeWorkspace?.() ??
        new AutomationDriftWorkspace({
          backendUrl: cfg.PULUMI_BACKEND_URL,
          ...(cfg.PULUMI_CLI_ROOT ? { cliRoot: cfg.PULUMI_CLI_ROOT } : {}),
          ...(cfg.PULUMI_PLUGINS_DIR ? { pluginsDir: cfg.PULUMI_PLUGINS_DIR } : {}),
        });
      logger.info("drift check started", { scheduledAt: scheduled.time, stacks: cfg.PULUMI_STACKS.length });
      const report = await detectDrift({
        stacks: cfg.PULUMI_STACKS,
        workspace,
        alertsTopicArn: cfg.ALERTS_TOPIC_ARN,
        ...(cfg.ENVIRONMENT ? { environment: cfg.ENVIRONMENT } : {}),
        signal: abort.signal,
      });
      logger.info("drift check finished", { drifted: report.drifted, failed: report.failed });
      return report;
    } finally {
      clearTimeout(timer);
    }
  });
}

export const handler = createHandler();
