/** Messages on the backtest-jobs and backtest-results queues (docs/runtime-contracts.md). */
import * as z from "zod";
import {
  BoundedText,
  checkRange,
  ExchangeId,
  IsoDateOrDateTime,
  Slug,
  Timeframe,
  TradingSymbol,
} from "./common";
import { BacktestMetrics } from "./job";
import {
  BACKTEST_REQUEST_MAX_BYTES,
  ERROR_MAX_BYTES,
  jsonBytes,
  PARAMETER_VALUE_MAX_LENGTH,
  PARAMETERS_MAX_COUNT,
  S3_MAX_KEY_BYTES,
} from "./limits";

/** A strategy parameter value: JSON scalars only, so it can travel in an ECS environment variable. */
export const ParameterValue = z.union([
  z.string().max(PARAMETER_VALUE_MAX_LENGTH),
  z.number().finite(),
  z.boolean(),
]);

/** Strategy parameters: identifiers to scalars, at most {@link PARAMETERS_MAX_COUNT} of them. */
export const Parameters = z
  .record(
    z.string().regex(/^[A-Za-z_][A-Za-z0-9_]{0,63}$/, "expected a parameter name like rsiPeriod"),
    ParameterValue,
  )
  .refine((p) => Object.keys(p).length <= PARAMETERS_MAX_COUNT, `at most ${PARAMETERS_MAX_COUNT} parameters`);

/** The backtest task receives the request in its ECS overrides, which hold 8 KiB in all. */
function checkRequestSize(value: object, ctx: z.core.$RefinementCtx): void {
  const bytes = jsonBytes(value);
  if (bytes > BACKTEST_REQUEST_MAX_BYTES) {
    ctx.addIssue({
      code: "custom",
      path: [],
      message: `request is ${bytes} bytes as JSON; at most ${BACKTEST_REQUEST_MAX_BYTES} fit the backtest task's ECS overrides`,
      input: value,
    });
  }
}

/** What a backtest is asked to run: the body of `POST /v1/backtests` and of strategy-service's run API. */
const backtestRequestShape = {
  strategyId: Slug,
  exchange: ExchangeId,
  symbol: TradingSymbol,
  timeframe: Timeframe,
  from: IsoDateOrDateTime,
  to: IsoDateOrDateTime,
  parameters: Parameters.default({}),
};

/** A backtest request without a job: what a client submits; the backend assigns the job id. */
export const BacktestRequest = z
  .object(backtestRequestShape)
  .superRefine(checkRange)
  .superRefine(checkRequestSize);
export type BacktestRequest = z.infer<typeof BacktestRequest>;

/** A backtest request: body of the backtest-jobs queue and the `JOB_REQUEST` of the backtest task. */
export const BacktestJobMessage = z
  .object({ jobId: z.uuid(), ...backtestRequestShape })
  .superRefine(checkRange)
  .superRefine(checkRequestSize);
export type BacktestJobMessage = z.infer<typeof BacktestJobMessage>;

/** A backtest outcome: body of the backtest-results queue, sent by the backtest task. */
export const BacktestResultMessage = z
  .object({
    jobId: z.uuid(),
    status: z.enum(["COMPLETED", "FAILED"]),
    metrics: BacktestMetrics.optional(),
    /** Key of the result document in the artifacts bucket (`backtests/<jobId>/result.json`). */
    resultKey: BoundedText(S3_MAX_KEY_BYTES).optional(),
    error: BoundedText(ERROR_MAX_BYTES).optional(),
  })
  .superRefine((value, ctx) => {
    // The task writes under its own job's prefix; any other key would point the job at another's result.
    const key = value.resultKey;
    if (
      key !== undefined &&
      (!key.startsWith(`backtests/${value.jobId}/`) || key.split("/").includes(".."))
    ) {
      ctx.addIssue({
        code: "custom",
        path: ["resultKey"],
        message: `must be under backtests/${value.jobId}/ (at most ${S3_MAX_KEY_BYTES} bytes)`,
        input: value.resultKey,
      });
    }
    if (value.status === "COMPLETED" && !value.metrics) {
      ctx.addIssue({
        code: "custom",
        path: ["metrics"],
        message: "required when status is COMPLETED",
        input: value.metrics,
      });
    }
    if (value.status === "FAILED" && !value.error) {
      ctx.addIssue({
        code: "custom",
        path: ["error"],
        message: "required when status is FAILED",
        input: value.error,
      });
    }
  });
export type BacktestResultMessage = z.infer<typeof BacktestResultMessage>;
