/**
 * Property: a malformed rollback request, operator's or CloudWatch alarm's (wrong shapes, a ModelName
 * dimension that is no model name, ids in a looser format than the deployments table uses, reasons longer
 * than what is stored), is rejected with InvalidEventError before MLflow is called or a table is written.
 */
import { InvalidEventError } from "@tradai/lambda-common";
import {
  badIdentifier,
  brokenEvent,
  createIdempotencyTable,
  createModelDeploymentsTable,
  expectRejectedWithoutChange,
  lambdaContext,
  notAString,
  PROPERTY_RUNS,
  quietLogger,
  type RecordingServer,
  startRecordingServer,
  stringOfBytes,
  useTestEnv,
} from "@tradai/lambda-common/testing";
import { useMoto } from "@tradai/testing";
import * as fc from "fast-check";
import { handler } from "../src/handler";

const manual = { modelName: "btc-lstm", jobId: "rollback-1", reason: "live sharpe below floor" };

const alarm = (dimensions: unknown[]) => ({
  source: "aws.cloudwatch",
  alarmArn: "arn:aws:cloudwatch:eu-central-1:123456789012:alarm:tradai-test-btc-lstm-live-sharpe",
  accountId: "123456789012",
  time: "2026-03-01T12:00:00.000+0000",
  region: "eu-central-1",
  alarmData: {
    alarmName: "tradai-test-btc-lstm-live-sharpe",
    state: { value: "ALARM", reason: "threshold crossed", timestamp: "2026-03-01T12:00:00.000+0000" },
    previousState: { value: "OK", timestamp: "2026-03-01T11:00:00.000+0000" },
    configuration: {
      metrics: dimensions.map((d, i) => ({
        id: `m${i}`,
        metricStat: {
          metric: { namespace: "TradAI", name: "LiveSharpe", dimensions: d },
          period: 300,
          stat: "Average",
        },
        returnData: true,
      })),
    },
  },
});

describe("model-rollback: bad input", () => {
  useMoto();
  quietLogger();
  let mlflow: RecordingServer;
  useTestEnv(async () => {
    mlflow = await startRecordingServer();
    await createModelDeploymentsTable("tradai-test-model-deployments");
    await createIdempotencyTable("tradai-test-idempotency");
    return {
      MLFLOW_TRACKING_URI: mlflow.url,
      MODEL_DEPLOYMENTS_TABLE: "tradai-test-model-deployments",
      IDEMPOTENCY_TABLE: "tradai-test-idempotency",
    };
  });
  afterAll(() => mlflow.close());

  it("rejects every malformed request with InvalidEventError, calling MLflow for nothing and writing nothing", async () => {
    const events = fc.oneof(
      brokenEvent(
        manual,
        {
          modelName: fc.oneof(badIdentifier(), fc.constantFrom("-x", "a".repeat(101))),
          jobId: badIdentifier(),
          reason: fc.oneof(notAString(), fc.constantFrom("", stringOfBytes(300 * 1024))),
        },
        ["modelName"],
      ),
      fc
        .constantFrom<unknown[][]>(
          [{ ModelName: "not a model name" }],
          [{ ModelName: "a".repeat(101) }],
          [{ ModelName: "btc-lstm" }, { ModelName: "eth-xgb" }],
          [{ Other: "x" }],
          [],
        )
        .map(alarm),
    );
    await fc.assert(
      fc.asyncProperty(events, (event) =>
        expectRejectedWithoutChange(
          () => handler(event, lambdaContext("model-rollback")),
          InvalidEventError,
          () => mlflow.requests.length,
        ),
      ),
      { numRuns: PROPERTY_RUNS },
    );
  });
});
