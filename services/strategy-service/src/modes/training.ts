/**
 * `MODE=training` (the ECS RunTask `.sync` step of the retraining workflow): grid-searches the strategy's
 * parameters on the first part of the stored candles, validates the winner on the rest, logs a run with
 * the winning parameters and both sets of metrics to MLflow, registers a model version from that run and
 * points the `candidate` alias at it. compare-models then compares candidate and champion on a run metric
 * (`sharpe`, `total_return`, `max_drawdown` and `trades` are the validation-period values).
 */
import type { S3Client } from "@aws-sdk/client-s3";
import type { BacktestMetrics } from "@tradai/contracts";
import { alignDown, DAY_MS, type Logger } from "@tradai/service-common";
import type { TrainingConfig } from "../config";
import { runStrategy } from "../engine/run";
import { loadCandles } from "../market/candles";
import { resolveStrategy } from "../strategies";
import type { MlflowClient } from "./mlflow-client";

export const CANDIDATE_ALIAS = "candidate";

export interface TrainingDeps {
  s3: S3Client;
  mlflow: MlflowClient;
  log: Logger;
  now?: () => Date;
}

export interface TrainingOutcome {
  runId: string;
  version: string;
  params: Record<string, number>;
  train: BacktestMetrics;
  validation: BacktestMetrics;
}

const prefixed = (prefix: string, m: BacktestMetrics) => ({
  [`${prefix}sharpe`]: m.sharpe,
  [`${prefix}total_return`]: m.totalReturn,
  [`${prefix}max_drawdown`]: m.maxDrawdown,
  [`${prefix}trades`]: m.trades,
});

export async function runTraining(config: TrainingConfig, deps: TrainingDeps): Promise<TrainingOutcome> {
  const now = (deps.now ?? (() => new Date()))();
  const log = deps.log.child({ jobId: config.JOB_ID, modelName: config.MODEL_NAME });
  const { strategy } = resolveStrategy(config.TRAINING_STRATEGY, {}, "TRAINING");
  const toMs = alignDown(now.getTime(), "1d");
  const fromMs = toMs - config.TRAINING_LOOKBACK_DAYS * DAY_MS;
  const candles = await loadCandles(deps.s3, config.MARKET_DATA_BUCKET, {
    exchange: config.TRAINING_EXCHANGE,
    symbol: config.TRAINING_SYMBOL,
    timeframe: config.TRAINING_TIMEFRAME,
    fromMs,
    toMs,
  });
  const split = Math.floor(candles.length * config.TRAINING_SPLIT);
  const train = candles.slice(0, split);
  const validation = candles.slice(split);
  if (train.length < 2 || validation.length < 2)
    throw new Error(`not enough candles to train (${candles.length})`);

  // Grid search on the training part: highest Sharpe wins, the first of equals (grid order) on ties.
  let best: { params: Record<string, number>; metrics: BacktestMetrics } | undefined;
  for (const candidate of strategy.grid()) {
    const { params } = resolveStrategy(strategy.id, candidate, "TRAINING");
    const metrics = runStrategy(strategy, params, train, config.TRAINING_TIMEFRAME).metrics;
    if (!best || metrics.sharpe > best.metrics.sharpe) best = { params, metrics };
  }
  if (!best) throw new Error(`strategy ${strategy.id} has an empty parameter grid`);
  const validated = runStrategy(strategy, best.params, validation, config.TRAINING_TIMEFRAME).metrics;
  log.info({ params: best.params, train: best.metrics, validation: validated }, "parameter search finished");

  const experimentId = await deps.mlflow.ensureExperiment(
    config.MLFLOW_EXPERIMENT_NAME ?? `tradai-${config.MODEL_NAME}`,
  );
  const tags = {
    "tradai.job_id": config.JOB_ID,
    "tradai.strategy": strategy.id,
    "tradai.market": `${config.TRAINING_EXCHANGE}:${config.TRAINING_SYMBOL}:${config.TRAINING_TIMEFRAME}`,
  };
  const run = await deps.mlflow.createRun(experimentId, `${config.MODEL_NAME}-${config.JOB_ID}`, tags);
  try {
    await deps.mlflow.logBatch(
      run.runId,
      {
        ...best.params,
        strategy: strategy.id,
        exchange: config.TRAINING_EXCHANGE,
        symbol: config.TRAINING_SYMBOL,
        timeframe: config.TRAINING_TIMEFRAME,
        train_from: new Date(train[0]?.time ?? fromMs).toISOString(),
        validation_from: new Date(validation[0]?.time ?? fromMs).toISOString(),
        data_to: new Date(toMs).toISOString(),
      },
      {
        ...prefixed("", validated),
        ...prefixed("train_", best.metrics),
        grid_size: strategy.grid().length,
        candles: candles.length,
      },
    );
    await deps.mlflow.ensureRegisteredModel(config.MODEL_NAME);
    const version = await deps.mlflow.createModelVersion(config.MODEL_NAME, run.runId, tags);
    await deps.mlflow.setAlias(config.MODEL_NAME, CANDIDATE_ALIAS, version);
    await deps.mlflow.endRun(run.runId, "FINISHED");
    log.info({ runId: run.runId, version }, "model version registered as candidate");
    return { runId: run.runId, version, params: best.params, train: best.metrics, validation: validated };
  } catch (error) {
    await deps.mlflow.endRun(run.runId, "FAILED").catch(() => undefined);
    throw error;
  }
}
