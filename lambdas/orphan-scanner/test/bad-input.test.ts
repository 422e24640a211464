/** Property: malformed trigger events are rejected with InvalidEventError before any scan, alert or metric. */
import { CreateBucketCommand, S3Client } from "@aws-sdk/client-s3";
import {
  createTopicProbe,
  itRejectsMalformedScheduledEvents,
  quietLogger,
  useTestEnv,
} from "@tradai/lambda-common/testing";
import { useMoto } from "@tradai/testing";
import { handler } from "../src/handler";

describe("orphan-scanner: bad input", () => {
  useMoto();
  quietLogger();
  useTestEnv(async () => {
    const s3 = new S3Client({ forcePathStyle: true });
    await s3.send(new CreateBucketCommand({ Bucket: "tradai-test-pulumi-state" }));
    s3.destroy();
    const alerts = await createTopicProbe("tradai-test-alerts");
    // A valid run puts the OrphanedResources metric.
    return {
      PULUMI_BACKEND_URL: "s3://tradai-test-pulumi-state/infra",
      ALERTS_TOPIC_ARN: alerts.topicArn,
      PROJECT_TAG: "tradai",
      ENVIRONMENT: "test",
    };
  });

  itRejectsMalformedScheduledEvents((event) => handler(event));
});
