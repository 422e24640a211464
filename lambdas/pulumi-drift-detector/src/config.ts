/** Environment of pulumi-drift-detector (docs/runtime-contracts.md): @tradai/contracts' schemas. */
import { PulumiDriftDetectorEnv } from "@tradai/contracts";
import { loadEnv } from "@tradai/lambda-common";
import type * as z from "zod";

export { StackTarget } from "@tradai/contracts";
export const Env = PulumiDriftDetectorEnv;
export type Config = z.infer<typeof Env>;

export const config = (): Config => loadEnv(Env);
