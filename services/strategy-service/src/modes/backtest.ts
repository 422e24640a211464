/**
 * `MODE=backtest`: the ECS task sqs-consumer starts for one job. Loads the stored candles, runs the
 * built-in strategy, writes `backtests/<jobId>/result.json` to the artifacts bucket and sends a
 * BacktestResultMessage to the backtest-results queue. The exit code tells ECS (and update-status)
 * whether the job succeeded.
 */
import { PutObjectCommand, type S3Client } from "@aws-sdk/client-s3";
import { SendMessageCommand, type SQSClient } from "@aws-sdk/client-sqs";
import { type BacktestJobMessage, BacktestResultMessage, type ConfigError } from "@tradai/contracts";
import { type Candle, type Logger, RequestValidationError } from "@tradai/service-common";
import { z } from "zod";
import type { BacktestConfig } from "../config";
import type { BacktestResult } from "../engine/backtest";
import { DEFAULT_FEE_RATE, runExposure, runStrategy } from "../engine/run";
import { loadCandles } from "../market/candles";
import { resolveStrategy, STRATEGIES } from "../strategies";
import { compileDefinition } from "../strategies/definition";
import type { StoredStrategies } from "../strategies/stored";

export interface BacktestDeps {
  s3: S3Client;
  sqs: SQSClient;
  /** Stored rule-based strategies (when `STRATEGIES_TABLE` is set). */
  stored?: StoredStrategies;
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
  const plan = await planFor(job, deps);
  deps.signal?.throwIfAborted();
  const candles = await loadCandles(deps.s3, config.MARKET_DATA_BUCKET, {
    exchange: job.exchange,
    symbol: job.symbol,
    timeframe: job.timeframe,
    fromMs: Date.parse(job.from),
    toMs: Date.parse(job.to),
  });
  deps.signal?.throwIfAborted();
  const result = plan.run(candles);
  const key = resultKey(job.jobId);
  const document = {
    jobId: job.jobId,
    request: job,
    strategy: { ...plan.describe, feeRate: DEFAULT_FEE_RATE },
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

interface Plan {
  describe: Record<string, unknown>;
  run(candles: Candle[]): BacktestResult;
}

/** A built-in strategy by id, else a stored rule-based definition; unknown ids fail the job. */
async function planFor(job: BacktestJobMessage, deps: BacktestDeps): Promise<Plan> {
  if (STRATEGIES.has(job.strategyId) || !deps.stored) {
    const { strategy, params } = resolveStrategy(job.strategyId, job.parameters, "job");
    return {
      describe: { id: strategy.id, kind: "built-in", parameters: params },
      run: (candles) => runStrategy(strategy, params, candles, job.timeframe),
    };
  }
  const stored = await deps.stored.get(job.strategyId);
  if (!stored) {
    throw new Error(
      `strategyId: unknown strategy ${job.strategyId} (neither built-in: ${[...STRATEGIES.keys()].join(", ")}, nor stored)`,
    );
  }
  if (Object.keys(job.parameters).length > 0) {
    throw new Error("parameters: apply to built-in strategies only; a stored strategy carries its own");
  }
  const compiled = compileDefinition(stored.definition, job);
  return {
    describe: {
      id: job.strategyId,
      kind: "stored",
      definitionVersion: stored.definition.version,
      itemVersion: stored.version,
    },
    run: (candles) => runExposure(candles, compiled.exposure(candles), job.timeframe, compiled.positionSize),
  };
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
      error: `invalid job: ${error.problems.map((p) => `${p.key}: ${p.message}`).join("; ")}`,
    });
  } catch (sendError) {
    log.error({ err: sendError, jobId }, "could not report the invalid job");
  }
}
