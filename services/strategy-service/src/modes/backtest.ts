/**
 * `MODE=backtest`: the ECS task sqs-consumer starts for one job. Loads the stored candles, runs the
 * built-in strategy, writes `backtests/<jobId>/result.json` to the artifacts bucket and sends a
 * BacktestResultMessage to the backtest-results queue. The exit code tells ECS (and update-status)
 * whether the job succeeded.
 */
import { PutObjectCommand, type S3Client } from "@aws-sdk/client-s3";
import { SendMessageCommand, type SQSClient } from "@aws-sdk/client-sqs";
import { type BacktestJobMessage, BacktestResultMessage } from "@tradai/lambda-common/schemas";
import { type ConfigError, type Logger, RequestValidationError } from "@tradai/service-common";
import { z } from "zod";
import type { BacktestConfig } from "../config";
import { DEFAULT_FEE_RATE, runStrategy } from "../engine/run";
import { loadCandles } from "../market/candles";
import { resolveStrategy } from "../strategies";

export interface BacktestDeps {
  s3: S3Client;
  sqs: SQSClient;
  log: Logger;
  /** Aborted on SIGTERM: the job is reported FAILED instead of vanishing. */
  signal?: AbortSignal;
  now?: () => Date;
}

/** The artifacts key of a job's result document. */
export const resultKey = (jobId: string): string => `backtests/${jobId}/result.json`;

function describe(error: unknown): string {
  if (error instanceof RequestValidationError)
    return error.fields.map((f) => `${f.field.replace(/^job\./, "")}: ${f.message}`).join("; ");
  return error instanceof Error ? error.message : String(error);
}

/** Runs the job and reports its outcome; resolves to the process exit code. */
export async function runBacktestJob(config: BacktestConfig, deps: BacktestDeps): Promise<0 | 1> {
  const job = config.JOB_REQUEST;
  const now = deps.now ?? (() => new Date());
  const log = deps.log.child({ jobId: job.jobId, strategyId: job.strategyId });
  const startedAt = now().toISOString();
  let outcome: BacktestResultMessage;
  try {
    outcome = await execute(job, config, deps, startedAt, now);
    log.info({ metrics: outcome.metrics }, "backtest completed");
  } catch (error) {
    log.error({ err: error }, "backtest failed");
    outcome = { jobId: job.jobId, status: "FAILED", error: describe(error) };
  }
  try {
    await sendResult(deps.sqs, config.BACKTEST_RESULTS_QUEUE_URL, outcome);
  } catch (error) {
    log.error({ err: error }, "could not send the result message");
    return 1;
  }
  return outcome.status === "COMPLETED" ? 0 : 1;
}

async function execute(
  job: BacktestJobMessage,
  config: BacktestConfig,
  deps: BacktestDeps,
  startedAt: string,
  now: () => Date,
): Promise<BacktestResultMessage> {
  const { strategy, params } = resolveStrategy(job.strategyId, job.parameters, "job");
  deps.signal?.throwIfAborted();
  const candles = await loadCandles(deps.s3, config.MARKET_DATA_BUCKET, {
    exchange: job.exchange,
    symbol: job.symbol,
    timeframe: job.timeframe,
    fromMs: Date.parse(job.from),
    toMs: Date.parse(job.to),
  });
  deps.signal?.throwIfAborted();
  const result = runStrategy(strategy, params, candles, job.timeframe);
  const key = resultKey(job.jobId);
  const document = {
    jobId: job.jobId,
    request: job,
    strategy: { id: strategy.id, parameters: params, feeRate: DEFAULT_FEE_RATE },
    candles: { count: candles.length, first: candles[0]?.time, last: candles.at(-1)?.time },
    metrics: result.metrics,
    trades: result.trades,
    startedAt,
    finishedAt: now().toISOString(),
  };
  deps.signal?.throwIfAborted();
  await deps.s3.send(
    new PutObjectCommand({
      Bucket: config.ARTIFACTS_BUCKET,
      Key: key,
      Body: JSON.stringify(document),
      ContentType: "application/json",
    }),
  );
  return { jobId: job.jobId, status: "COMPLETED", metrics: result.metrics, resultKey: key };
}

/** Sends a result message after checking it against the shared schema. */
export async function sendResult(
  sqs: SQSClient,
  queueUrl: string,
  message: BacktestResultMessage,
): Promise<void> {
  const body = BacktestResultMessage.parse(message);
  const fifo = queueUrl.endsWith(".fifo");
  await sqs.send(
    new SendMessageCommand({
      QueueUrl: queueUrl,
      MessageBody: JSON.stringify(body),
      ...(fifo ? { MessageGroupId: body.jobId, MessageDeduplicationId: `${body.jobId}-${body.status}` } : {}),
    }),
  );
}

/**
 * When the job environment itself is invalid (bad `JOB_REQUEST`), reports FAILED for `JOB_ID` if the
 * queue is known, so the job does not wait for a result that will never come. Best effort.
 */
export async function reportInvalidJob(
  env: NodeJS.ProcessEnv,
  error: ConfigError,
  sqs: SQSClient,
  log: Logger,
): Promise<void> {
  const jobId = env.JOB_ID;
  const queueUrl = env.BACKTEST_RESULTS_QUEUE_URL;
  if (!jobId || !queueUrl || !z.uuid().safeParse(jobId).success || !z.url().safeParse(queueUrl).success)
    return;
  try {
    await sendResult(sqs, queueUrl, {
      jobId,
      status: "FAILED",
      error: `invalid job: ${error.problems.join("; ")}`,
    });
  } catch (sendError) {
    log.error({ err: sendError, jobId }, "could not report the invalid job");
  }
}
