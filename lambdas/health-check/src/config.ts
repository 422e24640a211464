/** health-check configuration (docs/runtime-contracts.md); the schemas are @tradai/contracts'. */
import { HealthCheckEnv } from "@tradai/contracts";
import { loadEnv } from "@tradai/lambda-common";

export { HealthCheckEnv, MonitoredService } from "@tradai/contracts";

export const config = (): HealthCheckEnv => loadEnv(HealthCheckEnv);
