/** One drift-monitor run: score every configured model, publish the metric, flag drifted models. */
import { PLATFORM_METRICS } from "@tradai/contracts";
import { logger, publishAlert, putOperationalMetrics } from "@tradai/lambda-common";
import type { DriftMonitorEnv } from "./config";
import { scoreModel } from "./score";
import { latestRecentKey, readDistribution, referenceKey } from "./store";

export const SOURCE = "drift-monitor";

/** The drift of one model against its reference. */
export interface ModelDrift {
  modelName: string;
  recentKey: string;
  /** PSI per feature. */
  features: Record<string, number>;
  maxPsi: number;
  worstFeature: string;
  drifted: boolean;
  missingFeatures: string[];
}

export interface DriftReport {
  threshold: number;
  models: ModelDrift[];
  /** Models that could not be scored, with the reason. */
  failures: { modelName: string; error: string }[];
}

async function scoreOne(env: DriftMonitorEnv, modelName: string): Promise<ModelDrift> {
  const recentKey = await latestRecentKey(env.ARTIFACTS_BUCKET, modelName);
  if (!recentKey) {
    throw new Error(`no recent distribution under s3://${env.ARTIFACTS_BUCKET}/drift/${modelName}/recent/`);
  }
  const [reference, recent] = await Promise.all([
    readDistribution(env.ARTIFACTS_BUCKET, referenceKey(modelName)),
    readDistribution(env.ARTIFACTS_BUCKET, recentKey),
  ]);
  const score = scoreModel(reference, recent);
  return { modelName, recentKey, ...score, drifted: score.maxPsi > env.DRIFT_THRESHOLD };
}

/**
 * Scores each model independently (one broken model does not hide the others' drift), then publishes
 * `DriftScore` per model and one alert listing the drifted ones.
 */
export async function runDriftMonitor(env: DriftMonitorEnv): Promise<DriftReport> {
  const report: DriftReport = { threshold: env.DRIFT_THRESHOLD, models: [], failures: [] };
  for (const modelName of env.DRIFT_MODELS) {
    try {
      const drift = await scoreOne(env, modelName);
      report.models.push(drift);
      logger.info("drift scored", { ...drift });
    } catch (error) {
      report.failures.push({ modelName, error: (error as Error).message });
      logger.error("drift could not be scored", { modelName, error: error as Error });
    }
  }

  await putOperationalMetrics(
    report.models.map((m) => ({
      name: PLATFORM_METRICS.driftScore,
      value: m.maxPsi,
      unit: "None",
      dimensions: { ModelName: m.modelName },
    })),
  );

  const drifted = report.models.filter((m) => m.drifted);
  if (drifted.length > 0) {
    await publishAlert(
      env.ALERTS_TOPIC_ARN,
      SOURCE,
      {
        severity: "warning",
        title: `Feature drift in ${drifted.map((m) => m.modelName).join(", ")}`,
        message: drifted
          .map(
            (m) =>
              `${m.modelName}: PSI ${m.maxPsi.toFixed(3)} on ${m.worstFeature} (threshold ${env.DRIFT_THRESHOLD})`,
          )
          .join("\n"),
        details: { threshold: env.DRIFT_THRESHOLD, models: drifted },
      },
      env.ENVIRONMENT,
    );
  }
  return report;
}
