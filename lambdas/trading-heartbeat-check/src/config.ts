/** trading-heartbeat-check configuration (docs/runtime-contracts.md); the schema is @tradai/contracts'. */
import { HeartbeatCheckEnv } from "@tradai/contracts";
import { loadEnv } from "@tradai/lambda-common";

export { HeartbeatCheckEnv } from "@tradai/contracts";

export const config = (): HeartbeatCheckEnv => loadEnv(HeartbeatCheckEnv);
