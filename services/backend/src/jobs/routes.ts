import type { JobStore } from "@tradai/aws-clients";
import { HttpError, parseRequest, type ServiceApp } from "@tradai/service-common";
import { z } from "zod";
import type { StrategyStore } from "../strategies/store";
import { requireValidStrategy, type StrategyValidator } from "../strategies/validator";
import { BacktestRequest, type SubmitDeps, submitBacktest } from "./backtests";

/** What the backtest path checks before a job is created: a stored strategy it names must be valid. */
export interface BacktestChecks {
  strategies: StrategyStore;
  validator: StrategyValidator;
}

export const JobIdParams = z.object({
  id: z.string().regex(/^[A-Za-z0-9._:-]{1,128}$/, "expected a job id"),
});

/** `POST /v1/backtests` and `GET /v1/jobs/:id`. */
export function registerJobRoutes(
  app: ServiceApp,
  jobs: JobStore,
  submit: Omit<SubmitDeps, "log">,
  checks: BacktestChecks,
): void {
  app.post("/v1/backtests", async (request, reply) => {
    const body = parseRequest(BacktestRequest, request.body, "body");
    // A stored strategy is validated again as it enters a backtest: rules may have tightened since it was
    // stored, and the task would otherwise fail after the job was queued. Built-in strategies are code.
    const stored = await checks.strategies.get(body.strategyId);
    if (stored) {
      await requireValidStrategy(
        checks.validator,
        stored.definition,
        `stored strategy ${body.strategyId} is invalid`,
        "strategy",
      );
    }
    const job = await submitBacktest(body, request.principal?.sub ?? "unknown", {
      ...submit,
      log: request.log,
    });
    return reply
      .status(202)
      .header("location", `/v1/jobs/${job.jobId}`)
      .send({ jobId: job.jobId, status: job.status, createdAt: job.createdAt });
  });

  app.get("/v1/jobs/:id", async (request) => {
    const { id } = parseRequest(JobIdParams, request.params, "params");
    const job = await jobs.get(id);
    if (!job) throw new HttpError(404, `job ${id} not found`);
    return job;
  });
}
