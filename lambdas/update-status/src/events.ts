/** The two inputs update-status accepts. */
import * as z from "zod";

export { UpdateStatusInput } from "@tradai/lambda-common";

/** The fields of an EventBridge "ECS Task State Change" event that decide a job's outcome. */
export const EcsTaskStateChange = z.looseObject({
  "detail-type": z.literal("ECS Task State Change"),
  source: z.literal("aws.ecs"),
  detail: z.looseObject({
    taskArn: z.string().min(1),
    lastStatus: z.string().min(1),
    startedBy: z.string().optional(),
    stopCode: z.string().optional(),
    stoppedReason: z.string().optional(),
    containers: z.array(
      z.looseObject({
        name: z.string().min(1),
        exitCode: z.number().int().optional(),
        reason: z.string().optional(),
      }),
    ),
  }),
});
export type EcsTaskStateChange = z.infer<typeof EcsTaskStateChange>;

/** Whether the event looks like an EventBridge event (then it must be a valid ECS task state change). */
export function isEventBridgeEvent(event: unknown): boolean {
  return typeof event === "object" && event !== null && "detail-type" in event;
}
