/** Environment of sqs-consumer (docs/runtime-contracts.md): @tradai/contracts' SqsConsumerEnv. */
import { SqsConsumerEnv } from "@tradai/contracts";
import { loadEnv } from "@tradai/lambda-common";
import type * as z from "zod";

export const Env = SqsConsumerEnv;
export type Config = z.infer<typeof Env>;

export const config = (): Config => loadEnv(Env);
