/**
 * Powertools idempotency over the idempotency table: the first completed invocation's result is stored
 * under a key derived from the job, and a retry with the same key returns it without running again.
 */
import { IdempotencyConfig, makeIdempotent } from "@aws-lambda-powertools/idempotency";
import { DynamoDBPersistenceLayer } from "@aws-lambda-powertools/idempotency/dynamodb";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { recordCalls } from "@tradai/iam-recorder";
import type { Context } from "aws-lambda";

/** A function made idempotent: an input and the Lambda context (Powertools reads its remaining time). */
export type IdempotentFn<I, O> = (input: I, context: Context) => Promise<O>;

export interface IdempotencyOptions {
  /** The idempotency table (hash key `id`, docs/runtime-contracts.md). */
  tableName: string;
  /** JMESPath of the input that identifies a request, e.g. `jobId`. */
  eventKey: string;
  /** JMESPath of the input that must match the stored request's (a reused key with other input fails). */
  validationKey?: string;
}

// Created on first use, not at import: the module stays free of import-time work.
let wrapped: Map<string, unknown> | undefined;

/**
 * `fn` made idempotent on the `eventKey` JMESPath of its input, persisted in `tableName` under the key
 * prefix `name`. The wrapper is built once per name, table and endpoint (tests switch endpoints) and
 * reused across invocations.
 */
export function idempotent<I, O>(
  name: string,
  fn: IdempotentFn<I, O>,
  options: IdempotencyOptions,
): IdempotentFn<I, O> {
  wrapped ??= new Map();
  const cacheKey = `${name}|${options.tableName}|${process.env.AWS_ENDPOINT_URL ?? ""}`;
  let made = wrapped.get(cacheKey) as IdempotentFn<I, O> | undefined;
  if (!made) {
    made = makeIdempotent(fn, {
      persistenceStore: new DynamoDBPersistenceLayer({
        tableName: options.tableName,
        // Our client rather than Powertools' own, so its calls carry the IAM call recorder too.
        awsSdkV3Client: recordCalls(new DynamoDBClient({})),
      }),
      config: new IdempotencyConfig({
        eventKeyJmesPath: options.eventKey,
        ...(options.validationKey ? { payloadValidationJmesPath: options.validationKey } : {}),
        throwOnNoIdempotencyKey: true,
      }),
      // A fixed prefix: the function name differs per environment, the job ids do not collide across them.
      keyPrefix: name,
    });
    wrapped.set(cacheKey, made);
  }
  return made;
}
