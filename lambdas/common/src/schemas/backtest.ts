/** Messages on the backtest-jobs and backtest-results queues (docs/runtime-contracts.md). */
import * as z from "zod";
import { checkRange, ExchangeId, IsoDateOrDateTime, Slug, Timeframe, TradingSymbol } from "./common";
import { BacktestMetrics } from "./job";

/** A strategy parameter value: JSON scalars only, so it can travel in an ECS environment variable. */
export const ParameterValue = z.union([z.string(), z.number(), z.boolean()]);

/** What a backtest is asked to run: the body of `POST /v1/backtests` and of strategy-service's run API. */
const backtestRequestShape = {
  strategyId: Slug,
  exchange: ExchangeId,
  symbol: TradingSymbol,
  timeframe: Timeframe,
  from: IsoDateOrDateTime,
  to: IsoDateOrDateTime,
  parameters: z.record(z.string(), ParameterValue).default({}),
};

/** A backtest request without a job: what a client submits; the backend assigns the job id. */
export const BacktestRequest = z.object(backtestRequestShape).superRefine(checkRange);
export type BacktestRequest = z.infer<typeof BacktestRequest>;

/** A backtest request: body of the backtest-jobs queue and the `JOB_REQUEST` of the backtest task. */
export const BacktestJobMessage = z
  .object({ jobId: z.uuid(), ...backtestRequestShape })
  .superRefine(checkRange);
export type BacktestJobMessage = z.infer<typeof BacktestJobMessage>;

/** A backtest outcome: body of the backtest-results queue, sent by the backtest task. */
export const BacktestResultMessage = z
  .object({
    jobId: z.uuid(),
    status: z.enum(["COMPLETED", "FAILED"]),
    metrics: BacktestMetrics.optional(),
    /** Key of the result document in the artifacts bucket (`backtests/<jobId>/result.json`). */
    resultKey: z.string().min(1).optional(),
    error: z.string().min(1).optional(),
  })
  .superRefine((value, ctx) => {
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
