/** Names shared by the Powertools utilities. */

/** The function's service name (`POWERTOOLS_SERVICE_NAME`, set per function by compute). */
export const SERVICE_NAME = process.env.POWERTOOLS_SERVICE_NAME ?? "tradai";

/** The metrics namespace of every TradAI metric (alarms in the edge layer watch it). */
export { METRICS_NAMESPACE } from "@tradai/contracts";
