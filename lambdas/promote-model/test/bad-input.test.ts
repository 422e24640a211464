/**
 * Property: a malformed promotion request (wrong shapes, a version that is no MLflow version number, ids
 * in a looser format than the jobs and deployments tables use) is rejected with InvalidEventError before
 * MLflow is called or the idempotency and deployments tables are written.
 */
import { randomUUID } from "node:crypto";
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
  useTestEnv,
} from "@tradai/lambda-common/testing";
import { useMoto } from "@tradai/testing";
import * as fc from "fast-check";
import { handler } from "../src/handler";

const valid = { jobId: randomUUID(), modelName: "btc-lstm", candidateVersion: "3" };

describe("promote-model: bad input", () => {
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
    const events = brokenEvent(valid, {
      jobId: badIdentifier(),
      modelName: fc.oneof(badIdentifier(), fc.constantFrom("-x", "a".repeat(101))),
      // MLflow model versions are positive integers.
      candidateVersion: fc.oneof(
        notAString(),
        fc.constantFrom("0", "-1", "1.5", "v3", " 3", "03", "latest", "9".repeat(30)),
      ),
    });
    await fc.assert(
      fc.asyncProperty(events, (event) =>
        expectRejectedWithoutChange(
          () => handler(event, lambdaContext("promote-model")),
          InvalidEventError,
          () => mlflow.requests.length,
        ),
      ),
      { numRuns: PROPERTY_RUNS },
    );
  });
});
