/** Property: malformed trigger events are rejected with InvalidEventError before any score, alert or metric. */
import { CreateBucketCommand, S3Client } from "@aws-sdk/client-s3";
import {
  createTopicProbe,
  itRejectsMalformedScheduledEvents,
  quietLogger,
  useTestEnv,
} from "@tradai/lambda-common/testing";
import { useMoto } from "@tradai/testing";
import { handler } from "../src/handler";

describe("drift-monitor: bad input", () => {
  useMoto();
  quietLogger();
  useTestEnv(async () => {
    const s3 = new S3Client({ forcePathStyle: true });
    await s3.send(new CreateBucketCommand({ Bucket: "tradai-test-artifacts" }));
    s3.destroy();
    const alerts = await createTopicProbe("tradai-test-alerts");
    return {
      ARTIFACTS_BUCKET: "tradai-test-artifacts",
      ALERTS_TOPIC_ARN: alerts.topicArn,
      DRIFT_MODELS: JSON.stringify(["btc-momentum"]),
      DRIFT_THRESHOLD: "0.2",
      ENVIRONMENT: "test",
    };
  });

  itRejectsMalformedScheduledEvents((event) => handler(event));
});
