/** data-collection-proxy configuration (docs/runtime-contracts.md); the schemas are @tradai/contracts'. */
import { ProxyEnv } from "@tradai/contracts";
import { loadEnv } from "@tradai/lambda-common";

export { ProxyEnv, ScheduledCollection } from "@tradai/contracts";

export const config = (): ProxyEnv => loadEnv(ProxyEnv);
