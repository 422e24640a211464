/** orphan-scanner configuration. */
import { loadEnv, requiredString } from "@tradai/lambda-common";
import * as z from "zod";
import { parseBackendUrl } from "./backend";

export const OrphanScannerEnv = z.object({
  /** The DIY state backend every stack of this account uses: `s3://bucket[/prefix]`. */
  PULUMI_BACKEND_URL: requiredString().transform((value, ctx) => {
    try {
      return parseBackendUrl(value);
    } catch (error) {
      ctx.addIssue({ code: "custom", message: (error as Error).message, input: value });
      return z.NEVER;
    }
  }),
  ALERTS_TOPIC_ARN: requiredString(),
  /** Value of the `Project` tag that marks the platform's resources. */
  PROJECT_TAG: z.string().min(1).default("tradai"),
  ENVIRONMENT: z.string().optional(),
});
export type OrphanScannerEnv = z.infer<typeof OrphanScannerEnv>;

export const config = (): OrphanScannerEnv => loadEnv(OrphanScannerEnv);
