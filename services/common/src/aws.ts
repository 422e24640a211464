import { HeadBucketCommand, type S3Client } from "@aws-sdk/client-s3";
import type { MetadataBearer } from "@smithy/types";
import { type MiddlewareClient, recordCalls } from "@tradai/iam-recorder";
import type { ReadinessCheck } from "./app";

/**
 * Every AWS client a service uses passes through here: it gets the IAM call recorder, which is attached
 * only when a test run names a recording file (`pnpm iam:check`), so a deployed task pays nothing.
 */
export function awsClient<I extends object, O extends MetadataBearer, C extends MiddlewareClient<I, O>>(
  client: C & MiddlewareClient<I, O>,
): C {
  return recordCalls(client);
}

/** A `/ready` check that the service can reach `bucket` (HeadBucket: exists and is permitted). */
export function bucketReadiness(name: string, s3: S3Client, bucket: string): ReadinessCheck {
  return {
    name,
    check: async () => {
      await s3.send(new HeadBucketCommand({ Bucket: bucket }));
    },
  };
}
