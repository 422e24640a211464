import { HttpError, parseRequest, type ServiceApp } from "@tradai/service-common";
import { z } from "zod";
import { BacktestRequest, type SubmitDeps, submitBacktest } from "./backtests";
import type { JobStore } from "./store";

export const JobIdParams = z.object({
  id: z.string().regex(/^[A-Za-z0-9._:-]{1,128}$/, "expected a job id"),
});

/** `POST /v1/backtests` and `GET /v1/jobs/:id`. */
export function registerJobRoutes(app: ServiceApp, jobs: JobStore, submit: Omit<SubmitDeps, "log">): void {
  app.post("/v1/backtests", async (request, reply) => {
    const body = parseRequest(BacktestRequest, request.body, "body");
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
