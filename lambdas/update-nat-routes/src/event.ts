/**
 * What starts the function:
 * - the Auto Scaling event EventBridge delivers when the NAT group launched an instance
 *   (`detail-type: EC2 Instance Launch Successful`, `source: aws.autoscaling`);
 * - a reconcile request `{ "action": "reconcile" }` (the foundation program invokes it once the group has
 *   capacity, and an operator can invoke it to repair the routes): the group's InService instance is used.
 */
import * as z from "zod";
import { InvalidNatEventError } from "./errors";

export const LaunchSuccessfulEventSchema = z.looseObject({
  "detail-type": z.literal("EC2 Instance Launch Successful"),
  source: z.literal("aws.autoscaling"),
  detail: z.looseObject({
    // Auto Scaling's own limits: 1-255 characters, no control characters.
    AutoScalingGroupName: z
      .string()
      .min(1)
      .max(255)
      .regex(/^[^\p{Cc}]+$/u, { error: "expected an Auto Scaling group name" }),
    // EC2's format: `i-` and 8 (older) or 17 lower-case hex digits.
    EC2InstanceId: z.string().regex(/^i-(?:[0-9a-f]{8}|[0-9a-f]{17})$/, {
      error: "expected an instance id (i-...): i- and 8 or 17 lower-case hex digits",
    }),
  }),
});
export type LaunchSuccessfulEvent = z.infer<typeof LaunchSuccessfulEventSchema>;

export const ReconcileRequestSchema = z.strictObject({ action: z.literal("reconcile") });

export type NatEvent = { kind: "launch"; groupName: string; instanceId: string } | { kind: "reconcile" };

/** Classifies and validates the payload; throws {@link InvalidNatEventError} listing what is wrong. */
export function parseNatEvent(event: unknown): NatEvent {
  if (ReconcileRequestSchema.safeParse(event).success) return { kind: "reconcile" };
  const launch = LaunchSuccessfulEventSchema.safeParse(event);
  if (launch.success) {
    return {
      kind: "launch",
      groupName: launch.data.detail.AutoScalingGroupName,
      instanceId: launch.data.detail.EC2InstanceId,
    };
  }
  throw new InvalidNatEventError([
    'expected an "EC2 Instance Launch Successful" event from aws.autoscaling or { "action": "reconcile" }',
    ...launch.error.issues.map((i) => `${i.path.join(".") || "(root)"}: ${i.message}`),
  ]);
}
