import { DLQ_RETENTION_SECONDS, WorkQueue } from "../src/foundation/work-queue";
import { ACCOUNT_ID, capture, expectWellFormed, json, mockArn, mockPulumi, REGION } from "./harness";

const QUEUE = "aws:sqs/queue:Queue";
const POLICY = "aws:sqs/queuePolicy:QueuePolicy";

beforeAll(() => mockPulumi());

describe("WorkQueue", () => {
  it("pairs the queue with its dead-letter queue, named after the component and the queue name", async () => {
    const c = await capture((opts) => new WorkQueue("jobs", { queueName: "tradai-dev-jobs" }, opts));
    expectWellFormed(c, "tradai:foundation:WorkQueue", "jobs");
    expect(c.tree.map((r) => `${r.type}::${r.name}`).slice(1)).toEqual([
      `${QUEUE}::jobs-dlq`,
      `${QUEUE}::jobs`,
      `${POLICY}::jobs-policy`,
      `${POLICY}::jobs-dlq-policy`,
    ]);
    const queue = c.one(QUEUE, "jobs").inputs;
    const dlq = c.one(QUEUE, "jobs-dlq").inputs;
    expect(queue).toMatchObject({
      name: "tradai-dev-jobs",
      visibilityTimeoutSeconds: 360,
      messageRetentionSeconds: 345600,
      receiveWaitTimeSeconds: 20,
      sqsManagedSseEnabled: true,
    });
    expect(json(queue.redrivePolicy)).toEqual({
      deadLetterTargetArn: mockArn(QUEUE, "tradai-dev-jobs-dlq"),
      maxReceiveCount: 5,
    });
    expect(dlq).toMatchObject({
      name: "tradai-dev-jobs-dlq",
      messageRetentionSeconds: DLQ_RETENTION_SECONDS,
      sqsManagedSseEnabled: true,
    });
    // The dead-letter queue takes redrives from its own queue only (its ARN, built from the name).
    expect(json(dlq.redriveAllowPolicy)).toEqual({
      redrivePermission: "byQueue",
      sourceQueueArns: [`arn:aws:sqs:${REGION}:${ACCOUNT_ID}:tradai-dev-jobs`],
    });
  });

  it("applies the configured receive count, visibility timeout and retention", async () => {
    const c = await capture(
      (opts) =>
        new WorkQueue(
          "results",
          {
            queueName: "tradai-prod-results",
            maxReceiveCount: 3,
            visibilityTimeoutSeconds: 600,
            retentionSeconds: 86400,
          },
          opts,
        ),
    );
    const queue = c.one(QUEUE, "results").inputs;
    expect(queue).toMatchObject({ visibilityTimeoutSeconds: 600, messageRetentionSeconds: 86400 });
    expect(json(queue.redrivePolicy).maxReceiveCount).toBe(3);
    expect(c.one(QUEUE, "results-dlq").inputs.messageRetentionSeconds).toBe(DLQ_RETENTION_SECONDS);
  });

  it("refuses requests over plain HTTP on both queues", async () => {
    const c = await capture((opts) => new WorkQueue("tls", { queueName: "tradai-dev-tls" }, opts));
    for (const [policy, queueName] of [
      ["tls-policy", "tradai-dev-tls"],
      ["tls-dlq-policy", "tradai-dev-tls-dlq"],
    ] as const) {
      const { inputs } = c.one(POLICY, policy);
      expect(inputs.queueUrl).toBe(`https://sqs.${REGION}/${queueName}`);
      expect(json(inputs.policy).Statement).toEqual([
        {
          Sid: "DenyInsecureTransport",
          Effect: "Deny",
          Principal: "*",
          Action: "*",
          Resource: [mockArn(QUEUE, queueName)],
          Condition: { Bool: { "aws:SecureTransport": false } },
        },
      ]);
    }
  });
});
