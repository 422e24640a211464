/** The two inputs update-status accepts. */
import { ECS_MAX_STARTED_BY_LENGTH, REASON_MAX_BYTES, utf8Bytes } from "@tradai/contracts";
import * as z from "zod";

export { UpdateStatusInput } from "@tradai/contracts";

/** Text ECS reports (stop reasons, container reasons) that may end up on the job item. */
const EcsText = z
  .string()
  .refine((s) => utf8Bytes(s) <= REASON_MAX_BYTES, `must be at most ${REASON_MAX_BYTES} bytes`);

/** The fields of an EventBridge "ECS Task State Change" event that decide a job's outcome. */
export const EcsTaskStateChange = z.looseObject({
  "detail-type": z.literal("ECS Task State Change"),
  source: z.literal("aws.ecs"),
  detail: z.looseObject({
    taskArn: z
      .string()
      .regex(
        /^arn:aws[a-z-]*:ecs:[a-z0-9-]+:\d{12}:task\/[A-Za-z0-9_/-]{1,512}$/,
        "expected an ECS task ARN",
      ),
    lastStatus: z.string().min(1).max(32),
    startedBy: z.string().max(ECS_MAX_STARTED_BY_LENGTH).optional(),
    stopCode: z.string().max(64).optional(),
    stoppedReason: EcsText.optional(),
    containers: z
      .array(
        z.looseObject({
          name: z.string().min(1).max(255),
          exitCode: z.number().int().optional(),
          reason: EcsText.optional(),
        }),
      )
      .max(10),
  }),
});
export type EcsTaskStateChange = z.infer<typeof EcsTaskStateChange>;

/** Whether the event looks like an EventBridge event (then it must be a valid ECS task state change). */
export function isEventBridgeEvent(event: unknown): boolean {
  return typeof event === "object" && event !== null && "detail-type" in event;
}
