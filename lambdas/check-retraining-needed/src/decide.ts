/**
 * The retraining decision: retrain when any check trips. Checks run in a fixed order and each explains
 * itself, so the reasons read the same way in the workflow output and the completion notification.
 */

import type { RetrainingExecutionInput } from "@tradai/contracts";
import { logger, type MlflowClient } from "@tradai/lambda-common";
import type { Config, ModelPolicy, PerformanceFloor } from "./config";
import type { DriftReading } from "./drift";

export const CHAMPION_ALIAS = "champion";
const DAY_MS = 86_400_000;

export interface DecideDeps {
  mlflow: MlflowClient;
  latestDrift: (modelName: string, lookbackHours: number, now: Date) => Promise<DriftReading | null>;
  now: () => Date;
}

export interface Decision {
  retrain: boolean;
  reasons: string[];
}

interface Finding {
  tripped: boolean;
  reason: string;
}

/**
 * Decides for one execution. With retrain=true the reasons are the checks that tripped; with
 * retrain=false they are the checks that passed, so a skipped run still says why.
 */
export async function decide(
  input: RetrainingExecutionInput,
  policy: ModelPolicy,
  cfg: Pick<Config, "DRIFT_THRESHOLD" | "DRIFT_LOOKBACK_HOURS">,
  deps: DecideDeps,
): Promise<Decision> {
  const now = deps.now();
  const findings: Finding[] = [];
  if (input.trigger === "manual")
    findings.push({ tripped: true, reason: "retraining was requested manually" });
  if (input.trigger === "drift") findings.push({ tripped: true, reason: "started by a drift alert" });

  const champion = await deps.mlflow.getModelVersionByAlias(input.modelName, CHAMPION_ALIAS);
  if (!champion) {
    findings.push({ tripped: true, reason: `model ${input.modelName} has no ${CHAMPION_ALIAS} version` });
  } else {
    const ageDays = (now.getTime() - champion.creationTimestamp) / DAY_MS;
    findings.push({
      tripped: ageDays > policy.maxAgeDays,
      reason: `${CHAMPION_ALIAS} version ${champion.version} is ${ageDays.toFixed(1)} days old (max ${policy.maxAgeDays})`,
    });
    if (policy.performance.length > 0) {
      findings.push(
        ...(await performanceFindings(deps.mlflow, champion.runId, champion.version, policy.performance)),
      );
    }
  }

  const drift = await deps.latestDrift(input.modelName, cfg.DRIFT_LOOKBACK_HOURS, now);
  if (drift) {
    findings.push({
      tripped: drift.value > cfg.DRIFT_THRESHOLD,
      reason: `drift score ${round(drift.value)} at ${drift.at.toISOString()} (threshold ${cfg.DRIFT_THRESHOLD})`,
    });
  } else {
    logger.warn("no recent drift score; drift not considered", {
      modelName: input.modelName,
      lookbackHours: cfg.DRIFT_LOOKBACK_HOURS,
    });
  }

  const tripped = findings.filter((f) => f.tripped);
  const retrain = tripped.length > 0;
  return { retrain, reasons: (retrain ? tripped : findings).map((f) => f.reason) };
}

async function performanceFindings(
  mlflow: MlflowClient,
  runId: string | undefined,
  version: string,
  floors: readonly PerformanceFloor[],
): Promise<Finding[]> {
  if (!runId) {
    logger.warn("champion has no training run; performance floors not checked", { version });
    return [];
  }
  const run = await mlflow.getRun(runId);
  const findings: Finding[] = [];
  for (const floor of floors) {
    const value = run.metrics[floor.metric];
    if (value === undefined || Number.isNaN(value)) {
      logger.warn("champion run lacks a metric with a floor; not checked", { version, metric: floor.metric });
      continue;
    }
    const below = floor.direction === "higher" ? value < floor.threshold : value > floor.threshold;
    const bound = floor.direction === "higher" ? "floor" : "ceiling";
    findings.push({
      tripped: below,
      reason: `${CHAMPION_ALIAS} ${floor.metric} ${round(value)} ${below ? "breaches" : "meets"} the ${bound} ${floor.threshold}`,
    });
  }
  return findings;
}

const round = (value: number): string => String(Math.round(value * 10_000) / 10_000);
