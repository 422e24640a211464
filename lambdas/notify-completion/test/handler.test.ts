import { randomUUID } from "node:crypto";
import { CloudWatchClient, ListMetricsCommand } from "@aws-sdk/client-cloudwatch";
import { InvalidEventError } from "@tradai/lambda-common";
import { createTopicProbe, lambdaContext, setTestEnv, type TopicProbe } from "@tradai/lambda-common/testing";
import { useMoto } from "@tradai/testing";
import { handler } from "../src/handler";

describe("notify-completion", () => {
  useMoto();
  let notifications: TopicProbe;
  let alerts: TopicProbe;
  let restore: () => void;

  beforeAll(async () => {
    notifications = await createTopicProbe("tradai-test-notifications");
    alerts = await createTopicProbe("tradai-test-alerts");
    restore = setTestEnv({
      NOTIFICATIONS_TOPIC_ARN: notifications.topicArn,
      ALERTS_TOPIC_ARN: alerts.topicArn,
      ENVIRONMENT: "staging",
    });
  });
  afterAll(() => restore());

  it("publishes a promotion to the notifications topic only and returns its message id", async () => {
    const jobId = randomUUID();
    const out = await handler(
      { jobId, modelName: "btc-lstm", outcome: "promoted", reasons: ["sharpe 1.9 > 1.4"] },
      lambdaContext("notify-completion"),
    );
    expect(out.messageId).toEqual(expect.any(String));
    expect(await notifications.received()).toEqual([
      expect.objectContaining({
        kind: "retraining",
        outcome: "promoted",
        jobId,
        modelName: "btc-lstm",
        reasons: ["sharpe 1.9 > 1.4"],
        environment: "staging",
        title: "Retraining of btc-lstm promoted a new model version",
      }),
    ]);
    expect(await alerts.received()).toEqual([]);
  });

  it("publishes a failure to both topics, accepting the Step Functions { Error, Cause } shape", async () => {
    const jobId = randomUUID();
    await handler({
      jobId,
      modelName: "btc-lstm",
      outcome: "failed",
      error: { Error: "States.TaskFailed", Cause: "training task exited 137" },
    });
    expect(await notifications.received()).toEqual([
      expect.objectContaining({ outcome: "failed", error: "States.TaskFailed: training task exited 137" }),
    ]);
    expect(await alerts.received()).toEqual([
      expect.objectContaining({
        severity: "warning",
        source: "notify-completion",
        message: "States.TaskFailed: training task exited 137",
        details: { jobId, modelName: "btc-lstm", reasons: [] },
      }),
    ]);
    const cw = new CloudWatchClient({});
    const listed = await cw.send(
      new ListMetricsCommand({ Namespace: "TradAI", MetricName: "RetrainingOutcome" }),
    );
    cw.destroy();
    const outcomes = (listed.Metrics ?? []).map(
      (m) => m.Dimensions?.find((d) => d.Name === "Outcome")?.Value,
    );
    expect(outcomes).toEqual(expect.arrayContaining(["failed", "promoted"]));
  });

  it("rejects a malformed input and publishes nothing", async () => {
    await expect(handler({ jobId: randomUUID(), modelName: "btc-lstm", outcome: "done" })).rejects.toThrow(
      InvalidEventError,
    );
    await expect(handler({ outcome: "failed" })).rejects.toThrow(/jobId.*modelName/);
    expect(await notifications.received()).toEqual([]);
    expect(await alerts.received()).toEqual([]);
  });

  it("fails when the topic does not exist", async () => {
    const undo = setTestEnv({ NOTIFICATIONS_TOPIC_ARN: "arn:aws:sns:eu-central-1:123456789012:missing" });
    try {
      await expect(handler({ jobId: randomUUID(), modelName: "m", outcome: "skipped" })).rejects.toThrow(
        /not exist|NotFound/i,
      );
    } finally {
      undo();
    }
  });
});
