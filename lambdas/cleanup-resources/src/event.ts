/**
 * The cleanup event: the EventBridge scheduled event (dry run via `detail.dryRun`), or a plain
 * `{ "dryRun": true }` as a rule's constant input or a manual invocation.
 */
import { parseEvent, ScheduledEventSchema } from "@tradai/lambda-common";
import * as z from "zod";

const Options = z.strictObject({ dryRun: z.boolean().default(false) });

const CleanupEvent = z.union([
  ScheduledEventSchema.extend({ detail: Options.default({ dryRun: false }) }),
  Options,
]);

/** Whether this run only reports what it would do. @throws InvalidEventError */
export function parseCleanupEvent(event: unknown): { dryRun: boolean } {
  const parsed = parseEvent(CleanupEvent, event, "cleanup event");
  return { dryRun: "detail" in parsed ? parsed.detail.dryRun : parsed.dryRun };
}
