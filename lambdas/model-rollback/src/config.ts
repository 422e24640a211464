/** Environment of model-rollback (docs/runtime-contracts.md): @tradai/contracts' ChampionMoverEnv. */
import { ChampionMoverEnv } from "@tradai/contracts";
import { loadEnv } from "@tradai/lambda-common";
import type * as z from "zod";

export const Env = ChampionMoverEnv;
export type Config = z.infer<typeof Env>;

export const config = (): Config => loadEnv(Env);
