import { CloudWatchClient, GetMetricStatisticsCommand } from "@aws-sdk/client-cloudwatch";
import { useMoto } from "@tradai/testing";
import { putOperationalMetrics, resetClients } from "../src/index";

describe("putOperationalMetrics", () => {
  useMoto();
  beforeAll(() => resetClients());
  afterAll(() => resetClients());

  it("puts every data point into the TradAI namespace with its dimensions, in chunks of 1000", async () => {
    const at = new Date(Date.now() - 60_000);
    const points = Array.from({ length: 1001 }, (_, i) => ({
      name: "StaleHeartbeats",
      value: i % 2,
      unit: "Count" as const,
      dimensions: { Service: "live-trading" },
      timestamp: at,
    }));
    await putOperationalMetrics(points);

    const cw = new CloudWatchClient({});
    const stats = await cw.send(
      new GetMetricStatisticsCommand({
        Namespace: "TradAI",
        MetricName: "StaleHeartbeats",
        Dimensions: [{ Name: "Service", Value: "live-trading" }],
        StartTime: new Date(at.getTime() - 60_000),
        EndTime: new Date(at.getTime() + 60_000),
        Period: 300,
        Statistics: ["SampleCount", "Sum"],
      }),
    );
    cw.destroy();
    expect(stats.Datapoints?.[0]).toMatchObject({ SampleCount: 1001, Sum: 500 });
  });

  it("does nothing for an empty list", async () => {
    await expect(putOperationalMetrics([])).resolves.toBeUndefined();
  });
});
