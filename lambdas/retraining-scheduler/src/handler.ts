/**
 * retraining-scheduler: on its EventBridge schedule, starts the retraining workflow for every model in
 * RETRAINING_MODELS that is due, as execution `<modelName>-<YYYY-MM-DD>` (idempotent per day).
 */

import { IsoDateTime } from "@tradai/contracts";
import { lambdaHandler, metrics, parseEvent } from "@tradai/lambda-common";
import * as z from "zod";
import { config } from "./config";
import { type ModelResult, runSchedule } from "./schedule";

/** The fields of an EventBridge "Scheduled Event" the scheduler uses. */
const ScheduledEvent = z.looseObject({
  "detail-type": z.literal("Scheduled Event"),
  source: z.literal("aws.events"),
  time: IsoDateTime,
});

/** Thrown after all models were tried when at least one could not be started, so the run is retried. */
export class SchedulingError extends Error {
  constructor(readonly failed: ModelResult[]) {
    super(`could not schedule retraining of ${failed.map((f) => `${f.modelName} (${f.detail})`).join(", ")}`);
    this.name = "SchedulingError";
  }
}

export const handler = lambdaHandler(
  "retraining-scheduler",
  async (event): Promise<{ results: ModelResult[] }> => {
    const scheduled = parseEvent(ScheduledEvent, event, "scheduled event");
    const results = await runSchedule(new Date(scheduled.time), config());
    metrics.addMetric("RetrainingsStarted", "Count", results.filter((r) => r.outcome === "started").length);
    const failed = results.filter((r) => r.outcome === "failed");
    if (failed.length > 0) throw new SchedulingError(failed);
    return { results };
  },
  { publishMetrics: true },
);
