/**
 * Property: a malformed comparison request (wrong shapes, a model name or metric key MLflow would refuse,
 * a negative or non-finite improvement) is rejected with InvalidEventError before MLflow is called.
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

const valid = { modelName: "btc-lstm", metric: "sharpe", direction: "higher", minImprovement: 0.1 };

describe("compare-models: bad input", () => {
  useMoto();
  quietLogger();
  let mlflow: RecordingServer;
  useTestEnv(async () => {
    mlflow = await startRecordingServer();
    return { MLFLOW_TRACKING_URI: mlflow.url, COMPARE_METRIC: "sharpe" };
  });
  afterAll(() => mlflow.close());

  it("rejects every malformed request with InvalidEventError, calling MLflow for nothing", async () => {
    const events = brokenEvent(
      valid,
      {
        modelName: fc.oneof(badIdentifier(), fc.constantFrom("-x", "a".repeat(101))),
        // MLflow metric keys: at most 250 characters of letters, digits, _ - . space and /.
        metric: fc.oneof(notAString(), fc.constantFrom("", "m".repeat(251), "sharpe;drop", "a\u0000b")),
        direction: fc.oneof(notAString(), fc.constantFrom("up", "")),
        minImprovement: fc.constantFrom(-1, Number.NaN, Number.POSITIVE_INFINITY, "0.1", null),
      },
      ["modelName"],
    );
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
