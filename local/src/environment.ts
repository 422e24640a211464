/**
 * What changes between the plan's environment and a local process's: only where things are. AWS calls go
 * to the emulator (`AWS_ENDPOINT_URL`), except ECS and Step Functions, which go to the local control
 * plane that runs tasks and executions (`AWS_ENDPOINT_URL_ECS`, `AWS_ENDPOINT_URL_SFN`: the SDK's
 * per-service endpoint variables); the user pool's keys come from the local identity provider
 * (`AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER`); Cloud Map names (`mlflow.tradai-dev.internal:5000`)
 * become the local ports of the services behind them.
 */
import { LOCAL_CREDENTIALS } from "./components/emulator";

export interface Endpoints {
  emulatorUrl: string;
  controlUrl: string;
  identityUrl: string;
  region: string;
  /** `host:port` as the plan names it (Cloud Map, load balancer) -> `127.0.0.1:<port>`. */
  hosts: Map<string, string>;
}

/** Rewrites every `http://<planned host>:<port>` (also inside JSON values) to its local address. */
export function redirectValue(value: string, endpoints: Pick<Endpoints, "hosts">): string {
  let out = value;
  for (const [planned, local] of endpoints.hosts) out = out.split(`//${planned}`).join(`//${local}`);
  return out;
}

/** The AWS part of every local process's environment. */
export function awsEnvironment(endpoints: Endpoints): Record<string, string> {
  return {
    AWS_ENDPOINT_URL: endpoints.emulatorUrl,
    AWS_ENDPOINT_URL_ECS: endpoints.controlUrl,
    AWS_ENDPOINT_URL_SFN: endpoints.controlUrl,
    AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER: endpoints.identityUrl,
    AWS_REGION: endpoints.region,
    AWS_DEFAULT_REGION: endpoints.region,
    ...LOCAL_CREDENTIALS,
  };
}

/** The plan's variables, redirected, plus the AWS endpoints. */
export function localEnvironment(
  planned: Record<string, string>,
  endpoints: Endpoints,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(planned)) out[key] = redirectValue(value, endpoints);
  return { ...out, ...awsEnvironment(endpoints) };
}
