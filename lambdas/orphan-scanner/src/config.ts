/** orphan-scanner configuration (docs/runtime-contracts.md): @tradai/contracts' OrphanScannerEnv. */
import { OrphanScannerEnv as Schema } from "@tradai/contracts";
import { loadEnv } from "@tradai/lambda-common";
import type * as z from "zod";

/** The contract's schema: the backend URL arrives parsed into bucket and prefix. */
export const OrphanScannerEnv = Schema;
export type OrphanScannerEnv = z.infer<typeof Schema>;

export const config = (): OrphanScannerEnv => loadEnv(OrphanScannerEnv);
