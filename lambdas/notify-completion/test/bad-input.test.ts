/**
 * Property: whatever malformed input notify-completion receives, it rejects it with InvalidEventError and
 * publishes nothing (no notification, no alert, no metric).
 */
import { randomUUID } from "node:crypto";
import { ERROR_MAX_BYTES, REASON_MAX_BYTES, REASONS_MAX_COUNT } from "@tradai/contracts";
import { InvalidEventError } from "@tradai/lambda-common";
import {
  badIdentifier,
  brokenEvent,
  createTopicProbe,
  expectRejectedWithoutChange,
  lambdaContext,
  notAString,
  PROPERTY_RUNS,
  quietLogger,
  setTestEnv,
  stringOfBytes,
  type TopicProbe,
} from "@tradai/lambda-common/testing";
import { useMoto } from "@tradai/testing";
import * as fc from "fast-check";
import { handler } from "../src/handler";

describe("notify-completion: bad input", () => {
  useMoto();
  quietLogger();
  let restore: () => void;
  let notifications: TopicProbe;
  let alerts: TopicProbe;

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

  it("rejects every malformed completion with InvalidEventError and publishes nothing", async () => {
    const valid = {
      jobId: randomUUID(),
      modelName: "btc-lstm",
      outcome: "failed",
      reasons: ["r"],
      error: "e",
    };
    const events = brokenEvent(
      valid,
      {
        jobId: badIdentifier(),
        modelName: fc.oneof(badIdentifier(), fc.constantFrom("-leading-dash", "a".repeat(101), "has space")),
        outcome: fc.oneof(notAString(), fc.constantFrom("done", "FAILED", "")),
        reasons: fc.oneof(
          // Not a list of strings (notAString() may give a list of strings, which is a valid value here).
          fc.oneof(
            fc.integer(),
            fc.boolean(),
            fc.string(),
            fc.array(fc.integer(), { minLength: 1, maxLength: 2 }),
          ),
          fc.constant([stringOfBytes(300 * 1024)]),
          fc.constant(Array.from({ length: 1000 }, () => stringOfBytes(300))),
        ),
        error: fc.oneof(
          fc.constant(stringOfBytes(300 * 1024)),
          fc.constant({ Error: "States.TaskFailed", Cause: stringOfBytes(300 * 1024) }),
          fc.constant({ Cause: "no Error" }),
        ),
      },
      ["jobId", "modelName", "outcome"],
    );
    await fc.assert(
      fc.asyncProperty(events, (event) =>
        expectRejectedWithoutChange(
          () => handler(event, lambdaContext("notify-completion")),
          InvalidEventError,
        ),
      ),
      { numRuns: PROPERTY_RUNS },
    );
  });

  it("publishes the largest valid failure to both topics: the bounds fit what SNS carries", async () => {
    const largest = {
      jobId: "j".repeat(128),
      modelName: "m".repeat(100),
      outcome: "failed",
      reasons: Array.from({ length: REASONS_MAX_COUNT }, () => stringOfBytes(REASON_MAX_BYTES)),
      error: stringOfBytes(ERROR_MAX_BYTES),
    };
    await expect(handler(largest, lambdaContext("notify-completion"))).resolves.toEqual({
      messageId: expect.any(String),
    });
    expect(await notifications.received()).toHaveLength(1);
    expect(await alerts.received()).toHaveLength(1);
  });
});
