/**
 * Configuration from the environment, set by the foundation layer:
 * - `ROUTE_TABLE_IDS`: comma-separated ids of the private route tables whose default route follows the NAT
 *   instance.
 * - `NAT_ASG_NAME`: the NAT instance's Auto Scaling group (events for any other group are refused).
 */
import { UpdateNatRoutesEnv } from "@tradai/contracts";
import { NatRoutesConfigError } from "./errors";

/** @tradai/contracts' UpdateNatRoutesEnv: the schema foundation's wiring is checked against. */
export const EnvSchema = UpdateNatRoutesEnv;

export type NatRoutesConfig = {
  routeTableIds: string[];
  autoScalingGroupName: string;
};

/** Reads and validates the environment; throws {@link NatRoutesConfigError} naming every bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): NatRoutesConfig {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    throw new NatRoutesConfigError(
      parsed.error.issues.map((issue) => `${String(issue.path[0] ?? "(environment)")} ${issue.message}`),
    );
  }
  return {
    routeTableIds: [...new Set(parsed.data.ROUTE_TABLE_IDS)],
    autoScalingGroupName: parsed.data.NAT_ASG_NAME,
  };
}
