/**
 * Size checks of what a handler is about to send, run before its first write: an oversized message is a
 * clear InvalidEventError naming the limit, not the AWS SDK's error after part of the work was done.
 */

import { jsonBytes, SNS_MAX_MESSAGE_BYTES, utf8Bytes } from "@tradai/contracts";
import { InvalidEventError } from "./errors";

/** UTF-8 size SNS counts for a JSON message and its string attributes. */
export function snsMessageBytes(message: unknown, attributes: Record<string, string> = {}): number {
  return Object.entries(attributes).reduce(
    (sum, [name, value]) => sum + utf8Bytes(name) + utf8Bytes("String") + utf8Bytes(value),
    jsonBytes(message),
  );
}

/** @throws InvalidEventError when `message` with `attributes` exceeds {@link SNS_MAX_MESSAGE_BYTES}. */
export function assertFitsSns(what: string, message: unknown, attributes: Record<string, string> = {}): void {
  const bytes = snsMessageBytes(message, attributes);
  if (bytes > SNS_MAX_MESSAGE_BYTES) {
    throw new InvalidEventError(what, [
      {
        path: "",
        message: `the ${what} would be ${bytes} bytes; SNS takes at most ${SNS_MAX_MESSAGE_BYTES}`,
      },
    ]);
  }
}
