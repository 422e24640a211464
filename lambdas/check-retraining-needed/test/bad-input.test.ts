/**
 * Property: a malformed execution input (wrong shapes, ids in a looser format than the jobs table uses,
 * an unknown trigger) is rejected with InvalidEventError before MLflow or CloudWatch is read.
 */
import { InvalidEventError } from "@tradai/lambda-common";
import {
  badIdentifier,
  brokenEvent,
  expectRejectedWithoutChange,
  notAString,
  PROPERTY_RUNS,
  quietLogger,
  type RecordingServer,
  startRecordingServer,
  useTestEnv,
} from "@tradai/lambda-common/testing";
import { useMoto } from "@tradai/testing";
import * as fc from "fast-check";
import { handler } from "../src/handler";

const valid = { jobId: "retrain-btc-lstm-2026-03-01", modelName: "btc-lstm", trigger: "schedule" };

describe("check-retraining-needed: bad input", () => {
  useMoto();
  quietLogger();
  let mlflow: RecordingServer;
  useTestEnv(async () => {
    mlflow = await startRecordingServer();
    return {
      MLFLOW_TRACKING_URI: mlflow.url,
      RETRAINING_MODELS: JSON.stringify([{ modelName: "btc-lstm", maxAgeDays: 7 }]),
      DRIFT_THRESHOLD: "0.2",
    };
  });
  afterAll(() => mlflow.close());

  it("rejects every malformed input with InvalidEventError, reading nothing", async () => {
    const events = brokenEvent(valid, {
      jobId: badIdentifier(),
      modelName: fc.oneof(badIdentifier(), fc.constantFrom("-x", "a".repeat(101))),
      trigger: fc.oneof(notAString(), fc.constantFrom("cron", "")),
    });
    await fc.assert(
      fc.asyncProperty(events, (event) =>
        expectRejectedWithoutChange(
          () => handler(event),
          InvalidEventError,
          () => mlflow.requests.length,
        ),
      ),
      { numRuns: PROPERTY_RUNS },
    );
  });
});
