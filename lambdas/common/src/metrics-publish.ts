/**
 * Operational metrics written directly with PutMetricData. The Powertools `metrics` object writes EMF to
 * the log (cheap, asynchronous); these go through the API so they exist immediately for the alarms and can
 * be asserted against an emulator.
 */
import { PutMetricDataCommand, type StandardUnit } from "@aws-sdk/client-cloudwatch";
import { cloudwatch } from "./clients";
import { METRICS_NAMESPACE } from "./powertools/service";

/** One data point: `dimensions` become CloudWatch dimensions (name -> value). */
export interface OperationalMetric {
  name: string;
  value: number;
  unit: StandardUnit;
  dimensions?: Record<string, string>;
  timestamp?: Date;
}

/** PutMetricData accepts at most 1000 data points per call. */
const MAX_PER_CALL = 1000;

/** Publishes the data points to the `TradAI` namespace. An empty list does nothing. */
export async function putOperationalMetrics(data: readonly OperationalMetric[]): Promise<void> {
  for (let i = 0; i < data.length; i += MAX_PER_CALL) {
    const chunk = data.slice(i, i + MAX_PER_CALL);
    await cloudwatch().send(
      new PutMetricDataCommand({
        Namespace: METRICS_NAMESPACE,
        MetricData: chunk.map((m) => ({
          MetricName: m.name,
          Value: m.value,
          Unit: m.unit,
          Timestamp: m.timestamp ?? new Date(),
          Dimensions: Object.entries(m.dimensions ?? {}).map(([Name, Value]) => ({ Name, Value })),
        })),
      }),
    );
  }
}
