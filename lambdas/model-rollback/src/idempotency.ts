/**
 * Powertools idempotency over the idempotency table: the first completed invocation's result is stored
 * under a key derived from the job, and a retry with the same key returns it without running again.
 */
import { IdempotencyConfig, makeIdempotent } from "@aws-lambda-powertools/idempotency";
import { DynamoDBPersistenceLayer } from "@aws-lambda-powertools/idempotency/dynamodb";
import type { Context } from "aws-lambda";

type Fn<I, O> = (input: I, context: Context) => Promise<O>;

const wrapped = new Map<string, unknown>();

/**
 * `fn` made idempotent on the `eventKey` JMESPath of its input, persisted in `tableName`. The wrapper is
 * built once per table (and endpoint, for tests) and reused across invocations.
 */
export function idempotent<I, O>(
  name: string,
  fn: Fn<I, O>,
  options: { tableName: string; eventKey: string; validationKey?: string },
): Fn<I, O> {
  const cacheKey = `${name}|${options.tableName}|${process.env.AWS_ENDPOINT_URL ?? ""}`;
  let made = wrapped.get(cacheKey) as Fn<I, O> | undefined;
  if (!made) {
    made = makeIdempotent(fn, {
      persistenceStore: new DynamoDBPersistenceLayer({ tableName: options.tableName }),
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
