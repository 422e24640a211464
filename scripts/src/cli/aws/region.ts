/** Region the CLI's AWS clients use: AWS_REGION, AWS_DEFAULT_REGION, else the platform's home region. */
export const DEFAULT_REGION = "eu-central-1";

export function awsRegion(env: NodeJS.ProcessEnv): string {
  return env.AWS_REGION || env.AWS_DEFAULT_REGION || DEFAULT_REGION;
}

/**
 * Client configuration. Credentials and `AWS_ENDPOINT_URL` (LocalStack, moto) come from the SDK's own
 * environment lookup.
 */
export function clientConfig(env: NodeJS.ProcessEnv): { region: string } {
  return { region: awsRegion(env) };
}
