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

/**
 * Options shared by the services' AWS SDK v3 clients. The SDK reads `AWS_ENDPOINT_URL` and the region
 * itself; S3 additionally needs path-style addressing when it talks to a custom endpoint (LocalStack,
 * moto, MinIO), because those do not serve virtual-hosted bucket names.
 */
export function s3ClientOptions(env: NodeJS.ProcessEnv = process.env): { forcePathStyle: boolean } {
  return { forcePathStyle: Boolean(env.AWS_ENDPOINT_URL_S3 ?? env.AWS_ENDPOINT_URL) };
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
