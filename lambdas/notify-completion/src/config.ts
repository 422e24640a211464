/** Environment of notify-completion (docs/runtime-contracts.md). */
import { loadEnv, requiredString } from "@tradai/lambda-common";
import * as z from "zod";

export const Env = z.object({
  NOTIFICATIONS_TOPIC_ARN: requiredString(),
  ALERTS_TOPIC_ARN: requiredString(),
  ENVIRONMENT: z.string().min(1).optional(),
});
export type Config = z.infer<typeof Env>;

export const config = (): Config => loadEnv(Env);
