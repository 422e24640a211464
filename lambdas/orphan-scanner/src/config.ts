/** orphan-scanner configuration (docs/runtime-contracts.md); the schema is @tradai/contracts'. */
import { OrphanScannerEnv as ContractEnv } from "@tradai/contracts";
import { loadEnv } from "@tradai/lambda-common";
import * as z from "zod";
import { parseBackendUrl } from "./backend";

/** The contract's schema, with the backend URL parsed into bucket and prefix (same input). */
export const OrphanScannerEnv = ContractEnv.extend({
  PULUMI_BACKEND_URL: ContractEnv.shape.PULUMI_BACKEND_URL.transform((value, ctx) => {
    try {
      return parseBackendUrl(value);
    } catch (error) {
      ctx.addIssue({ code: "custom", message: (error as Error).message, input: value });
      return z.NEVER;
    }
  }),
});
export type OrphanScannerEnv = z.infer<typeof OrphanScannerEnv>;

export const config = (): OrphanScannerEnv => loadEnv(OrphanScannerEnv);
