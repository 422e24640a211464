/**
 * What changes between the plan's environment and a local process's: only where things are. AWS calls go
 * to the emulator (`AWS_ENDPOINT_URL`), except Lambda, ECS and Step Functions, which go to the local
 * control plane that runs functions, tasks and executions (`AWS_ENDPOINT_URL_LAMBDA`, `_ECS`, `_SFN`:
 * the SDK's per-service endpoint variables); the user pool's keys come from the local identity provider
 * (`AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER`); planned origins in values become local ones: queue
 * URLs (`https://sqs.<region>.amazonaws.com/...`, which the SQS client calls directly) point at the
 * emulator, Cloud Map names (`http://mlflow.tradai-dev.internal:5000`) and the load balancer at the local
 * ports of what is behind them.
 */
import { LOCAL_CREDENTIALS } from "./components/emulator";

export interface Endpoints {
  emulatorUrl: string;
  controlUrl: string;
  identityUrl: string;
  region: string;
  /** Origin as the plan names it (`http://mlflow.tradai-dev.internal:5000`) -> local origin. */
  origins: Map<string, string>;
}

/** Rewrites every planned origin (also inside JSON values) to its local one. */
export function redirectValue(value: string, endpoints: Pick<Endpoints, "origins">): string {
  let out = value;
  for (const [planned, local] of endpoints.origins) {
    // Only whole origins: followed by a path, a quote, a comma, a backslash or the end.
    const escaped = planned.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    out = out.replace(new RegExp(`${escaped}(?=[/"',\\\\]|$)`, "g"), local);
  }
  return out;
}

/** The AWS part of every local process's environment. */
export function awsEnvironment(endpoints: Endpoints): Record<string, string> {
  return {
    AWS_ENDPOINT_URL: endpoints.emulatorUrl,
    AWS_ENDPOINT_URL_ECS: endpoints.controlUrl,
    AWS_ENDPOINT_URL_SFN: endpoints.controlUrl,
    AWS_ENDPOINT_URL_LAMBDA: endpoints.controlUrl,
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
