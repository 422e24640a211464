/** Property: malformed trigger events are rejected with InvalidEventError before any probe, alert or metric. */
import { CreateClusterCommand, ECSClient } from "@aws-sdk/client-ecs";
import {
  createTopicProbe,
  itRejectsMalformedScheduledEvents,
  quietLogger,
  useTestEnv,
} from "@tradai/lambda-common/testing";
import { useMoto } from "@tradai/testing";
import { handler } from "../src/handler";

describe("health-check: bad input", () => {
  useMoto();
  quietLogger();
  useTestEnv(async () => {
    const ecs = new ECSClient({});
    await ecs.send(new CreateClusterCommand({ clusterName: "tradai-test" }));
    ecs.destroy();
    const alerts = await createTopicProbe("tradai-test-alerts");
    // A valid run finds the monitored service missing: it alerts and puts the health metrics.
    return {
      ECS_CLUSTER: "tradai-test",
      ALERTS_TOPIC_ARN: alerts.topicArn,
      MONITORED_SERVICES: JSON.stringify([{ service: "backend-api" }]),
      ENVIRONMENT: "test",
    };
  });

  itRejectsMalformedScheduledEvents((event) => handler(event));
});
