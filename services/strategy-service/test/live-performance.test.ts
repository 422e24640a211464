/**
 * The trading services publish the model's live drawdown (`LiveDrawdown`, dimensions ModelName and Mode):
 * the metric model-rollback's alarm watches (stacks/compute/test/model-rollback-alarm.test.ts checks the
 * alarm names this metric).
 */
import { CloudWatchClient, ListMetricsCommand } from "@aws-sdk/client-cloudwatch";
import { CreateTableCommand, DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { S3Client } from "@aws-sdk/client-s3";
import { SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { s3Client, s3ClientConfig } from "@tradai/aws-clients/s3";
import { recordAs } from "@tradai/iam-recorder/testing";
import { awsClient } from "@tradai/service-common";
import { TEST_REGION, useMoto } from "@tradai/testing";
import { loadTradingConfig } from "../src/config";
import { DrawdownTracker, LIVE_DRAWDOWN_METRIC, METRICS_NAMESPACE } from "../src/modes/live-performance";
import { buildTradingService } from "../src/modes/trading";
import { createBucket, writeDays } from "./market";

describe("drawdown of the decisions", () => {
  it("follows the exposure held between closes, from the peak, once per candle", () => {
    const t = new DrawdownTracker();
    expect(t.record(1, 100, 1)).toBe(0);
    expect(t.record(2, 110, 1)).toBe(0); // +10 %: a new peak
    expect(t.record(2, 50, 0)).toBe(0); // the same candle again changes nothing
    expect(t.record(3, 99, 0)).toBeCloseTo(0.1, 10); // 110 -> 99 held long: 10 % below the peak
    expect(t.record(4, 200, 1)).toBeCloseTo(0.1, 10); // flat since: unchanged
    expect(t.record(5, 250, 0)).toBe(0); // long 200 -> 250: 0.99 * 1.25 is a new peak
  });
});

describe("strategy-service dry-run publishes LiveDrawdown for its model", () => {
  const moto = useMoto();
  const MARKET = "tradai-test-live-perf";
  const TABLE = "tradai-test-live-perf-heartbeats";

  it("writes the metric with ModelName and Mode on a tick", async () => {
    expect(moto().url).toBeTruthy();
    const s3 = new S3Client(s3ClientConfig({ region: TEST_REGION }));
    const dynamodb = new DynamoDBClient({ region: TEST_REGION });
    const cloudwatch = new CloudWatchClient({ region: TEST_REGION });
    await createBucket(s3, MARKET);
    await writeDays(s3, MARKET, "2024-04-01", 7);
    await dynamodb.send(
      new CreateTableCommand({
        TableName: TABLE,
        KeySchema: [{ AttributeName: "serviceId", KeyType: "HASH" }],
        AttributeDefinitions: [{ AttributeName: "serviceId", AttributeType: "S" }],
        BillingMode: "PAY_PER_REQUEST",
      }),
    );
    // Only the instance holding the trading lease trades and reports.
    await dynamodb.send(
      new CreateTableCommand({
        TableName: `${TABLE}-leases`,
        KeySchema: [{ AttributeName: "leaseId", KeyType: "HASH" }],
        AttributeDefinitions: [{ AttributeName: "leaseId", AttributeType: "S" }],
        BillingMode: "PAY_PER_REQUEST",
      }),
    );
    const env = {
      MODE: "dry-run",
      HEARTBEATS_TABLE: TABLE,
      LEASES_TABLE: `${TABLE}-leases`,
      MARKET_DATA_BUCKET: MARKET,
      TRADING_MODEL_NAME: "strategy-ranker",
      LOG_LEVEL: "silent",
    };
    recordAs("ecs:dry-run-trading", env);
    const config = loadTradingConfig(env);
    // The service's own clients (as main.ts builds them); the ones above set up and inspect fixtures.
    const { loop } = await buildTradingService(config, {
      s3: s3Client({ region: TEST_REGION }),
      db: DynamoDBDocumentClient.from(awsClient(new DynamoDBClient({ region: TEST_REGION }))),
      secrets: awsClient(new SecretsManagerClient({ region: TEST_REGION })),
      cloudwatch: awsClient(new CloudWatchClient({ region: TEST_REGION })),
      now: () => new Date("2024-04-08T00:10:00Z"),
    });
    await loop.tick();
    const listed = await cloudwatch.send(
      new ListMetricsCommand({ Namespace: METRICS_NAMESPACE, MetricName: LIVE_DRAWDOWN_METRIC }),
    );
    expect(listed.Metrics?.map((m) => m.Dimensions)).toContainEqual(
      expect.arrayContaining([
        { Name: "ModelName", Value: "strategy-ranker" },
        { Name: "Mode", Value: "dry-run" },
      ]),
    );
  });
});
