/** cleanup-resources configuration (docs/runtime-contracts.md); the schema is @tradai/contracts'. */
import { CleanupResourcesEnv } from "@tradai/contracts";
import { loadEnv } from "@tradai/lambda-common";
import type * as z from "zod";

export const CleanupEnv = CleanupResourcesEnv;
export type CleanupEnv = z.infer<typeof CleanupEnv>;

export const config = (): CleanupEnv => loadEnv(CleanupEnv);
