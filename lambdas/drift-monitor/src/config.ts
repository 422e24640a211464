/** drift-monitor configuration (docs/runtime-contracts.md); the schema is @tradai/contracts'. */
import { DriftMonitorEnv } from "@tradai/contracts";
import { loadEnv } from "@tradai/lambda-common";

export { DriftMonitorEnv } from "@tradai/contracts";

export const config = (): DriftMonitorEnv => loadEnv(DriftMonitorEnv);
