/** Property: a malformed trigger event is rejected with InvalidEventError before any job or execution exists. */
import { CreateStateMachineCommand, SFNClient } from "@aws-sdk/client-sfn";
import {
  createJobsTable,
  createModelDeploymentsTable,
  itRejectsMalformedScheduledEvents,
  quietLogger,
  useTestEnv,
} from "@tradai/lambda-common/testing";
import { useMoto } from "@tradai/testing";
import { handler } from "../src/handler";

describe("retraining-scheduler: bad input", () => {
  useMoto();
  quietLogger();
  useTestEnv(async () => {
    const sfn = new SFNClient({});
    const sm = await sfn.send(
      new CreateStateMachineCommand({
        name: "tradai-test-retraining",
        roleArn: "arn:aws:iam::123456789012:role/tradai-test-retraining",
        definition: JSON.stringify({ StartAt: "Done", States: { Done: { Type: "Pass", End: true } } }),
      }),
    );
    sfn.destroy();
    await createJobsTable("tradai-test-jobs");
    await createModelDeploymentsTable("tradai-test-deployments");
    // A model never deployed is due: a valid run creates its job and starts an execution.
    return {
      RETRAINING_STATE_MACHINE_ARN: sm.stateMachineArn,
      JOBS_TABLE: "tradai-test-jobs",
      MODEL_DEPLOYMENTS_TABLE: "tradai-test-deployments",
      RETRAINING_MODELS: JSON.stringify([{ modelName: "btc-lstm", maxAgeDays: 7 }]),
    };
  });

  itRejectsMalformedScheduledEvents((event) => handler(event));
});
