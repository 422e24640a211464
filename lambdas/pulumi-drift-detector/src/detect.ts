/**
 * Drift detection over the configured stacks: a refresh preview per stack, a `StackDrift` metric per
 * checked stack (resources the refresh would change), and one alert when any stack drifted or could not
 * be checked. One failing stack does not stop the others.
 */
import { PLATFORM_METRICS } from "@tradai/contracts";
import { type AlertInput, logger, publishAlert, putOperationalMetrics } from "@tradai/lambda-common";
import type { StackTarget } from "./config";
import type { ChangeSummary, DriftWorkspace } from "./workspace";

export const SOURCE = "pulumi-drift-detector";

/** Operations that mean "the cloud matches the state"; every other operation is drift. */
const IN_SYNC = new Set(["same"]);

export interface StackDriftReport {
  layer: string;
  stack: string;
  project: string;
  status: "in-sync" | "drifted" | "error";
  /** Resources whose cloud state differs from the recorded one (updated, deleted, ...). */
  changed: number;
  /** The drifting operations and their counts, e.g. `{ update: 2, delete: 1 }`. */
  changes: Record<string, number>;
  error?: string;
}

export interface DriftReport {
  stacks: StackDriftReport[];
  drifted: number;
  failed: number;
  alertMessageId?: string;
}

export interface DetectOptions {
  stacks: readonly StackTarget[];
  workspace: DriftWorkspace;
  alertsTopicArn: string;
  environment?: string;
  /** Aborts a running preview when the invocation is about to time out. */
  signal?: AbortSignal;
  now?: () => Date;
}

export function summarise(target: StackTarget, summary: ChangeSummary): StackDriftReport {
  const changes = Object.fromEntries(
    Object.entries(summary).filter(([op, count]) => !IN_SYNC.has(op) && count > 0),
  );
  const changed = Object.values(changes).reduce((sum, n) => sum + n, 0);
  return {
    layer: target.layer,
    stack: target.stack,
    project: target.project,
    status: changed > 0 ? "drifted" : "in-sync",
    changed,
    changes,
  };
}

export async function detectDrift(options: DetectOptions): Promise<DriftReport> {
  const now = options.now ?? (() => new Date());
  const stacks: StackDriftReport[] = [];
  for (const target of options.stacks) {
    try {
      if (options.signal?.aborted) throw new Error("not checked: the invocation ran out of time");
      const summary = await options.workspace.previewRefresh(target, options.signal);
      const report = summarise(target, summary);
      logger.info("stack checked", { ...report });
      stacks.push(report);
    } catch (error) {
      const message = (error as Error).message;
      logger.error("stack could not be checked", { ...target, error: error as Error });
      stacks.push({ ...target, status: "error", changed: 0, changes: {}, error: message });
    }
  }

  await putOperationalMetrics(
    stacks.flatMap((s) => {
      const dimensions = { Layer: s.layer, Stack: s.stack };
      return s.status === "error"
        ? [{ name: "StackDriftCheckFailed", value: 1, unit: "Count" as const, dimensions }]
        : [{ name: PLATFORM_METRICS.stackDrift, value: s.changed, unit: "Count" as const, dimensions }];
    }),
  );

  const drifted = stacks.filter((s) => s.status === "drifted");
  const failed = stacks.filter((s) => s.status === "error");
  const report: DriftReport = { stacks, drifted: drifted.length, failed: failed.length };
  if (drifted.length + failed.length > 0) {
    const alert: AlertInput = {
      severity: "warning",
      title:
        drifted.length > 0
          ? `Infrastructure drift in ${drifted.map(label).join(", ")}`
          : `Drift check failed for ${failed.map(label).join(", ")}`,
      message: [
        ...drifted.map((s) => `${label(s)}: ${s.changed} resource(s) differ from state (${ops(s.changes)})`),
        ...failed.map((s) => `${label(s)}: not checked: ${s.error}`),
        "Inspect with: pulumi refresh --preview-only (then refresh or re-deploy the layer); " +
          "images (checked in ECR, not refreshed): pnpm tradai images check <env>",
      ].join("\n"),
      details: { stacks },
    };
    report.alertMessageId = await publishAlert(
      options.alertsTopicArn,
      SOURCE,
      alert,
      options.environment,
      now(),
    );
  }
  return report;
}

const label = (s: { layer: string; stack: string }): string => `${s.layer}/${s.stack}`;
const ops = (changes: Record<string, number>): string =>
  Object.entries(changes)
    .map(([op, n]) => `${op} ${n}`)
    .join(", ");
