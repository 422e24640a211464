/** Reading back what a Lambda put into CloudWatch. */
import { CloudWatchClient, GetMetricStatisticsCommand } from "@aws-sdk/client-cloudwatch";
import { METRICS_NAMESPACE } from "../src/powertools/service";

/** Data points (Maximum, one per minute) of a TradAI metric with exactly these dimensions, ±1 hour of now. */
export async function metricMaxima(name: string, dimensions: Record<string, string> = {}): Promise<number[]> {
  const cloudwatch = new CloudWatchClient({});
  const now = Date.now();
  try {
    const out = await cloudwatch.send(
      new GetMetricStatisticsCommand({
        Namespace: METRICS_NAMESPACE,
        MetricName: name,
        Dimensions: Object.entries(dimensions).map(([Name, Value]) => ({ Name, Value })),
        StartTime: new Date(now - 3_600_000),
        EndTime: new Date(now + 3_600_000),
        Period: 60,
        Statistics: ["Maximum"],
      }),
    );
    return (out.Datapoints ?? []).map((d) => d.Maximum ?? Number.NaN);
  } finally {
    cloudwatch.destroy();
  }
}
