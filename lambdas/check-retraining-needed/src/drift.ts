/**
 * The champion's latest drift score. drift-monitor publishes `DriftScore` (max PSI over the model's
 * features) to CloudWatch in the `TradAI` namespace with the single dimension `ModelName`; that metric is
 * the contract between the two functions, so this reads it back rather than asking MLflow.
 */
import { GetMetricDataCommand } from "@aws-sdk/client-cloudwatch";
import { METRICS_NAMESPACE, PLATFORM_METRICS } from "@tradai/contracts";
import { cloudwatch } from "@tradai/lambda-common";

export const DRIFT_METRIC = PLATFORM_METRICS.driftScore;

export interface DriftReading {
  value: number;
  at: Date;
}

/** The newest `DriftScore` of `modelName` in the last `lookbackHours`, or null when there is none. */
export async function latestDriftScore(
  modelName: string,
  lookbackHours: number,
  now: Date,
): Promise<DriftReading | null> {
  const result = await cloudwatch().send(
    new GetMetricDataCommand({
      StartTime: new Date(now.getTime() - lookbackHours * 3_600_000),
      EndTime: now,
      ScanBy: "TimestampDescending",
      MetricDataQueries: [
        {
          Id: "drift",
          ReturnData: true,
          MetricStat: {
            Metric: {
              Namespace: METRICS_NAMESPACE,
              MetricName: DRIFT_METRIC,
              Dimensions: [{ Name: "ModelName", Value: modelName }],
            },
            // One-minute buckets: drift-monitor writes one point per run, so a bucket is one reading.
            Period: 60,
            Stat: "Maximum",
          },
        },
      ],
    }),
  );
  const series = result.MetricDataResults?.find((r) => r.Id === "drift");
  const points = (series?.Timestamps ?? []).map((at, i) => ({ at, value: series?.Values?.[i] }));
  let newest: DriftReading | null = null;
  for (const point of points) {
    if (point.value === undefined || !Number.isFinite(point.value)) continue;
    if (!newest || point.at > newest.at) newest = { value: point.value, at: point.at };
  }
  return newest;
}
