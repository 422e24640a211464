/**
 * The one S3 client rule for the Lambdas and the services. Every S3 client in their code comes from
 * {@link s3Client} (biome's `no-direct-s3-client` plugin refuses `new S3Client(` anywhere else in their
 * sources), so the addressing rule and the IAM call recorder are set in one place.
 *
 * Path-style (`https://host/bucket/key`) only against an endpoint override, virtual-hosted otherwise:
 * - Emulators (moto, LocalStack, MinIO: the tests and `tradai local`) are reached through
 *   `AWS_ENDPOINT_URL_S3` / `AWS_ENDPOINT_URL` or an explicit `endpoint`, and serve no virtual-hosted
 *   bucket host names (`bucket.127.0.0.1:5000` does not resolve), so they need path-style.
 * - Real S3 gets the SDK's default, virtual-hosted: AWS recommends it and has announced the retirement of
 *   path-style; S3 access points and directory buckets (S3 Express One Zone) accept only virtual-hosted
 *   requests. Forcing path-style always would work for today's general-purpose buckets but ties every
 *   deployed client to the style AWS is retiring, for the emulators' sake only.
 * The override is detected the way the SDK resolves it (@smithy/core getEndpointFromConfig): the
 * S3-specific variable before the global one, both ignored when `AWS_IGNORE_CONFIGURED_ENDPOINT_URLS` is
 * `true`, and an explicit `endpoint` always counts. The shared-config-file `endpoint_url` is not read:
 * Lambdas and tasks have no config file, and the local platform sets the environment variables.
 */
import { S3Client, type S3ClientConfig } from "@aws-sdk/client-s3";
import { recordCalls } from "@tradai/iam-recorder";

/** Whether S3 requests go to an endpoint other than AWS's own (an emulator), as the SDK will resolve it. */
export function hasEndpointOverride(
  config: S3ClientConfig = {},
  env: NodeJS.ProcessEnv = process.env,
): boolean {
  if (config.endpoint !== undefined) return true;
  if (env.AWS_IGNORE_CONFIGURED_ENDPOINT_URLS === "true") return false;
  return Boolean(env.AWS_ENDPOINT_URL_S3 || env.AWS_ENDPOINT_URL);
}

/**
 * `config` with the addressing rule applied: `forcePathStyle` is true exactly when there is an endpoint
 * override. For clients that must not be recorded (test fixtures that create buckets as nobody's role).
 */
export function s3ClientConfig(
  config: S3ClientConfig = {},
  env: NodeJS.ProcessEnv = process.env,
): S3ClientConfig {
  return { ...config, forcePathStyle: hasEndpointOverride(config, env) };
}

/**
 * An S3 client with the addressing rule and the IAM call recorder (attached only when a test run names a
 * recording file, `pnpm iam:check`). `config` may set region, credentials, retries; not the style.
 */
export function s3Client(
  config: Omit<S3ClientConfig, "forcePathStyle"> = {},
  env: NodeJS.ProcessEnv = process.env,
): S3Client {
  return recordCalls(new S3Client(s3ClientConfig(config, env)));
}
