/** Validation of incoming events and messages with zod. */

import { issuesToErrors } from "@tradai/contracts";
import type * as z from "zod";
import { InvalidEventError } from "./errors";

/**
 * Returns `event` parsed by `schema`, or throws {@link InvalidEventError} listing every failing field
 * path. `what` names the input in the message ("SQS message body", "ECS task state change").
 * The caller logs the error once (logger.error) where it decides what the failure means.
 */
export function parseEvent<S extends z.ZodType>(schema: S, event: unknown, what: string): z.output<S> {
  const parsed = schema.safeParse(event);
  if (!parsed.success) throw new InvalidEventError(what, issuesToErrors(parsed.error.issues));
  return parsed.data;
}

/** Parses a JSON string (an SQS body, an SNS message) and validates it like {@link parseEvent}. */
export function parseJsonEvent<S extends z.ZodType>(schema: S, body: string, what: string): z.output<S> {
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch (error) {
    throw new InvalidEventError(what, [{ path: "", message: `not JSON (${(error as Error).message})` }]);
  }
  return parseEvent(schema, value, what);
}
