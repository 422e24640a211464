/**
 * Entry point of the strategy-service image. `MODE` selects what the container is:
 * `api` (ECS service strategy-service), `backtest` (task started by sqs-consumer), `training` (Step
 * Functions task), `dry-run` / `live` (ECS services dry-run-trading / live-trading).
 */

import { CloudWatchClient } from "@aws-sdk/client-cloudwatch";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { SQSClient } from "@aws-sdk/client-sqs";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { s3Client } from "@tradai/aws-clients/s3";
import { ConfigError } from "@tradai/contracts";
import { awsClient, createLogger, runMain, serveUntilStopped } from "@tradai/service-common";
import {
  loadApiConfig,
  loadBacktestConfig,
  loadTradingConfig,
  loadTrainingConfig,
  type Mode,
  modeOf,
} from "./config";
import { buildApiApp } from "./modes/api";
import { reportInvalidJob, runBacktestJob } from "./modes/backtest";
import { BinanceSpotBroker } from "./modes/binance-broker";
import { MlflowClient } from "./modes/mlflow-client";
import { buildTradingService } from "./modes/trading";
import { runTraining } from "./modes/training";
import { StoredStrategies } from "./strategies/stored";

const SERVICE = "strategy-service";

/** Aborts when SIGTERM/SIGINT arrive (one-shot modes stop between steps and report). */
function terminationSignal(): AbortSignal {
  const controller = new AbortController();
  const abort = (signal: string) => controller.abort(new Error(`stopped by ${signal}`));
  process.once("SIGTERM", () => abort("SIGTERM"));
  process.once("SIGINT", () => abort("SIGINT"));
  return controller.signal;
}

async function serve(mode: Mode): Promise<number> {
  const s3 = s3Client();
  if (mode === "api") {
    const config = loadApiConfig();
    return serveUntilStopped(buildApiApp(config, { s3 }), config);
  }
  const config = loadTradingConfig();
  const { app } = await buildTradingService(config, {
    s3,
    db: DynamoDBDocumentClient.from(awsClient(new DynamoDBClient({})), {
      marshallOptions: { removeUndefinedValues: true },
    }),
    secrets: awsClient(new SecretsManagerClient({})),
    cloudwatch: awsClient(new CloudWatchClient({})),
    liveBroker: (credentials) => {
      if (config.MODE !== "live") throw new Error("the live broker is only built in live mode");
      return new BinanceSpotBroker({
        baseUrl: config.BINANCE_BASE_URL,
        credentials,
        symbol: config.TRADING_SYMBOL,
        quoteAmount: config.TRADING_ORDER_QUOTE_AMOUNT,
        log: createLogger(SERVICE, config.LOG_LEVEL).child({ component: "binance-broker" }),
      });
    },
  });
  return serveUntilStopped(app, config);
}

async function runOnce(mode: "backtest" | "training"): Promise<number> {
  const log = createLogger(SERVICE, process.env.LOG_LEVEL ?? "info").child({ mode });
  const s3 = s3Client();
  if (mode === "backtest") {
    const sqs = awsClient(new SQSClient({}));
    let config: ReturnType<typeof loadBacktestConfig>;
    try {
      config = loadBacktestConfig();
    } catch (error) {
      // A job that cannot even be parsed is still reported, so it does not stay RUNNING forever.
      if (error instanceof ConfigError) await reportInvalidJob(process.env, error, sqs, log);
      throw error;
    }
    const stored = config.STRATEGIES_TABLE
      ? new StoredStrategies(
          DynamoDBDocumentClient.from(awsClient(new DynamoDBClient({}))),
          config.STRATEGIES_TABLE,
        )
      : undefined;
    return runBacktestJob(config, {
      s3,
      sqs,
      log,
      signal: terminationSignal(),
      ...(stored ? { stored } : {}),
    });
  }
  const config = loadTrainingConfig();
  await runTraining(config, { s3, mlflow: new MlflowClient(config.MLFLOW_TRACKING_URI), log });
  return 0;
}

async function main(): Promise<number> {
  const mode = modeOf();
  return mode === "backtest" || mode === "training" ? runOnce(mode) : serve(mode);
}

runMain(SERVICE, main, { mode: process.env.MODE });
