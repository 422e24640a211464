/** Environment of update-status (docs/runtime-contracts.md): @tradai/contracts' UpdateStatusEnv. */
import { UpdateStatusEnv } from "@tradai/contracts";
import { loadEnv } from "@tradai/lambda-common";
import type * as z from "zod";

export const Env = UpdateStatusEnv;
export type Config = z.infer<typeof Env>;

export const config = (): Config => loadEnv(Env);
