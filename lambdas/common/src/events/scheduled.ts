/**
 * The event an EventBridge schedule delivers: a rule's "Scheduled Event" (`source: aws.events`) or an
 * EventBridge Scheduler target given the same envelope. Only the fields the handlers rely on are
 * checked; other envelope fields pass through.
 */
import * as z from "zod";
import { parseEvent } from "../validation";

export const ScheduledEventSchema = z.looseObject({
  "detail-type": z.literal("Scheduled Event"),
  source: z.enum(["aws.events", "aws.scheduler"]),
  time: z.iso.datetime({ offset: true }),
  detail: z.record(z.string(), z.unknown()).default({}),
});
export type ScheduledEventInput = z.infer<typeof ScheduledEventSchema>;

/** `event` checked as a scheduled event. @throws InvalidEventError naming every failing field. */
export function parseScheduledEvent(event: unknown): ScheduledEventInput {
  return parseEvent(ScheduledEventSchema, event, "EventBridge scheduled event");
}
