/**
 * Configuration from the environment, set by the foundation layer:
 * - `ROUTE_TABLE_IDS`: comma-separated ids of the private route tables whose default route follows the NAT
 *   instance.
 * - `NAT_ASG_NAME`: the NAT instance's Auto Scaling group (events for any other group are refused).
 */
import * as z from "zod";
import { NatRoutesConfigError } from "./errors";

export const EnvSchema = z.object({
  ROUTE_TABLE_IDS: z
    .string({ error: "is not set" })
    .transform((value) =>
      value
        .split(",")
        .map((id) => id.trim())
        .filter((id) => id.length > 0),
    )
    .pipe(
      z
        .array(z.string().regex(/^rtb-[0-9a-f]+$/, { error: "expected route table ids (rtb-...)" }))
        .min(1, { error: "expected at least one route table id" }),
    ),
  NAT_ASG_NAME: z.string({ error: "is not set" }).min(1, { error: "must not be empty" }),
});

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
