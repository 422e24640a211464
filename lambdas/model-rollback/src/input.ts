/**
 * What can start a rollback: an operator (`tradai` CLI or console) with `{ modelName }`, or a CloudWatch
 * alarm whose action is this function (the alarm's metric carries a `ModelName` dimension, as
 * `DriftScore` does). Both become one {@link RollbackRequest}.
 */

import { BoundedText, JobId, ModelName, REASON_MAX_BYTES } from "@tradai/contracts";
import { InvalidEventError } from "@tradai/lambda-common";
import type { Context } from "aws-lambda";
import * as z from "zod";

export const ManualRollback = z.object({
  modelName: ModelName,
  /** Identifies this rollback; a repeated request with the same id is a retry. Defaults per invocation. */
  jobId: JobId.optional(),
  reason: BoundedText(REASON_MAX_BYTES).optional(),
});

/** The event a CloudWatch alarm sends to a Lambda alarm action (only the fields used here). */
export const AlarmEvent = z.object({
  source: z.literal("aws.cloudwatch"),
  alarmArn: z.string().min(1),
  alarmData: z.object({
    alarmName: z.string().min(1),
    state: z.object({ value: z.string(), reason: z.string().optional(), timestamp: z.string().min(1) }),
    configuration: z.object({
      metrics: z
        .array(
          z.object({
            metricStat: z
              .object({ metric: z.object({ dimensions: z.record(z.string(), z.string()).default({}) }) })
              .optional(),
          }),
        )
        .default([]),
    }),
  }),
});

export const RollbackEvent = z.union([AlarmEvent, ManualRollback]);

export type RollbackRequest =
  | { kind: "rollback"; modelName: string; jobId: string; reason: string }
  | { kind: "ignore"; reason: string };

/** Normalises either trigger; alarms only act on entering ALARM (an OK action is ignored). */
export function toRequest(event: z.output<typeof RollbackEvent>, context: Context): RollbackRequest {
  if ("alarmData" in event) {
    const { alarmName, state, configuration } = event.alarmData;
    if (state.value !== "ALARM") {
      return { kind: "ignore", reason: `alarm ${alarmName} is ${state.value}, not ALARM` };
    }
    const names = new Set(
      configuration.metrics.flatMap((m) => {
        const value = m.metricStat?.metric.dimensions.ModelName;
        return value === undefined ? [] : [value];
      }),
    );
    if (names.size !== 1) {
      throw new InvalidEventError("CloudWatch alarm event", [
        {
          path: "alarmData.configuration.metrics",
          message: `alarm ${alarmName}: expected exactly one ModelName dimension in its metrics, found ${names.size}`,
        },
      ]);
    }
    const [modelName] = [...names] as [string];
    const parsed = ModelName.safeParse(modelName);
    if (!parsed.success) {
      throw new InvalidEventError("CloudWatch alarm event", [
        {
          path: "alarmData.configuration.metrics.ModelName",
          message: parsed.error.issues[0]?.message ?? "invalid",
        },
      ]);
    }
    return {
      kind: "rollback",
      modelName,
      // One rollback per transition into ALARM, however often the action is delivered.
      jobId: `alarm:${alarmName}:${state.timestamp}`,
      reason: state.reason ?? `alarm ${alarmName}`,
    };
  }
  return {
    kind: "rollback",
    modelName: event.modelName,
    jobId: event.jobId ?? `manual:${context.awsRequestId}`,
    reason: event.reason ?? "requested manually",
  };
}
