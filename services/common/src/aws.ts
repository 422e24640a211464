/**
 * Options shared by the services' AWS SDK v3 clients. The SDK reads `AWS_ENDPOINT_URL` and the region
 * itself; S3 additionally needs path-style addressing when it talks to a custom endpoint (LocalStack,
 * moto, MinIO), because those do not serve virtual-hosted bucket names.
 */
export function s3ClientOptions(env: NodeJS.ProcessEnv = process.env): { forcePathStyle: boolean } {
  return { forcePathStyle: Boolean(env.AWS_ENDPOINT_URL_S3 ?? env.AWS_ENDPOINT_URL) };
}
