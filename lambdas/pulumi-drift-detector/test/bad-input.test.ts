/** Property: a malformed trigger event is rejected with InvalidEventError before any stack is previewed. */

import {
  createTopicProbe,
  itRejectsMalformedScheduledEvents,
  quietLogger,
  useTestEnv,
} from "@tradai/lambda-common/testing";
import { useMoto } from "@tradai/testing";
import type { StackTarget } from "../src/config";
import { createHandler } from "../src/handler";
import type { ChangeSummary, DriftWorkspace } from "../src/workspace";

/** Records the stacks it is asked to preview; reports each as unchanged. */
class RecordingWorkspace implements DriftWorkspace {
  readonly calls: StackTarget[] = [];
  async previewRefresh(target: StackTarget): Promise<ChangeSummary> {
    this.calls.push(target);
    return {};
  }
}

describe("pulumi-drift-detector: bad input", () => {
  useMoto();
  quietLogger();
  const workspace = new RecordingWorkspace();
  useTestEnv(async () => {
    const alerts = await createTopicProbe("tradai-test-alerts");
    return {
      PULUMI_BACKEND_URL: "s3://tradai-test-pulumi-state",
      PULUMI_STACKS: JSON.stringify([{ layer: "persistent", stack: "dev" }]),
      ALERTS_TOPIC_ARN: alerts.topicArn,
      ENVIRONMENT: "dev",
    };
  });

  itRejectsMalformedScheduledEvents(
    (event) => createHandler(() => workspace)(event),
    () => workspace.calls.length,
  );
});
