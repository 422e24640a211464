/** Environment of notify-completion (docs/runtime-contracts.md): @tradai/contracts' NotifyCompletionEnv. */
import { NotifyCompletionEnv } from "@tradai/contracts";
import { loadEnv } from "@tradai/lambda-common";
import type * as z from "zod";

export const Env = NotifyCompletionEnv;
export type Config = z.infer<typeof Env>;

export const config = (): Config => loadEnv(Env);
