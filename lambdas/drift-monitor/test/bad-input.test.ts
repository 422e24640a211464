/** Property: malformed trigger events are rejected with InvalidEventError before any score, alert or metric. */
import { CreateBucketCommand, S3Client } from "@aws-sdk/client-s3";
import {
  createTopicProbe,
  itRejectsMalformedScheduledEvents,
  quietLogger,
  setTestEnv,
} from "@tradai/lambda-common/testing";
import { useMoto } from "@tradai/testing";
import { handler } from "../src/handler";

describe("drift-monitor: bad input", () => {
  useMoto();
  quietLogger();
  let restore: () => void = () => {};
  beforeAll(async () => {
    const s3 = new S3Client({ forcePathStyle: true });
    await s3.send(new CreateBucketCommand({ Bucket: "tradai-test-artifacts" }));
    s3.destroy();
    const alerts = await createTopicProbe("tradai-test-alerts");
    restore = setTestEnv({
      ARTIFACTS_BUCKET: "tradai-test-artifacts",
      ALERTS_TOPIC_ARN: alerts.topicArn,
      DRIFT_MODELS: JSON.stringify(["btc-momentum"]),
      DRIFT_THRESHOLD: "0.2",
      ENVIRONMENT: "test",
    });
  });
  afterAll(() => restore());

  itRejectsMalformedScheduledEvents((event) => handler(event));
});
