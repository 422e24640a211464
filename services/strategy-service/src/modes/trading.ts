/**
 * `MODE=dry-run` and `MODE=live` (ECS services `dry-run-trading` and `live-trading`): the trading loop plus
 * a small HTTP server for `/health` and `/ready` (ready while heartbeats are being written). Closing the
 * app (SIGTERM) stops the loop after its current tick.
 */

import { randomUUID } from "node:crypto";
import { hostname } from "node:os";
import type { CloudWatchClient } from "@aws-sdk/client-cloudwatch";
import type { S3Client } from "@aws-sdk/client-s3";
import type { SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import type { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { createServiceApp, type ServiceApp } from "@tradai/service-common";
import { leaseDurationMs, type TradingConfig } from "../config";
import { DEFAULT_FEE_RATE } from "../engine/run";
import { resolveStrategy } from "../strategies";
import { type ExchangeCredentials, loadExchangeCredentials } from "./credentials";
import { HeartbeatWriter } from "./heartbeat";
import { TradingLease } from "./lease";
import { LivePerformanceReporter } from "./live-performance";
import { type Broker, PaperBroker } from "./paper-broker";
import { type Sleep, TradingLoop } from "./trading-loop";

export interface TradingDeps {
  s3: S3Client;
  db: DynamoDBDocumentClient;
  secrets: SecretsManagerClient;
  /** Where the model's live drawdown goes (with `TRADING_MODEL_NAME`). */
  cloudwatch?: CloudWatchClient;
  /** Builds the live broker from the verified credentials (live mode only). */
  liveBroker?: (credentials: ExchangeCredentials) => Broker;
  sleep?: Sleep;
  now?: () => Date;
  /** This instance's name in the lease. @default `<hostname>/<random uuid>` */
  instanceId?: string;
}

export interface TradingService {
  app: ServiceApp;
  loop: TradingLoop;
}

/**
 * Builds the trading service. In `live` mode it first reads the exchange credentials from Secrets Manager
 * and refuses to build (throws) when they are missing or invalid, so the task fails to start instead of
 * trading blind. The loop starts when the app is ready to listen (`onReady`).
 */
export async function buildTradingService(config: TradingConfig, deps: TradingDeps): Promise<TradingService> {
  const serviceId = config.SERVICE_ID ?? `${config.MODE}-trading`;
  let loop: TradingLoop | undefined;
  const app = createServiceApp({
    service: serviceId,
    logLevel: config.LOG_LEVEL,
    readiness: [
      {
        name: "heartbeat",
        check: async () => {
          if (!loop?.status().healthy)
            throw new Error("no successful heartbeat yet or the last write failed");
        },
      },
    ],
  });
  const { strategy, params } = resolveStrategy(
    config.TRADING_STRATEGY,
    config.TRADING_PARAMETERS,
    "TRADING_PARAMETERS",
  );

  let broker: Broker;
  if (config.MODE === "live") {
    const credentials = await loadExchangeCredentials(deps.secrets, config.EXCHANGE_CREDENTIALS_SECRET_ARN);
    if (!deps.liveBroker) throw new Error("live mode needs an exchange broker");
    broker = deps.liveBroker(credentials);
  } else {
    broker = new PaperBroker(app.log.child({ component: "paper-broker" }), DEFAULT_FEE_RATE);
  }

  loop = new TradingLoop({
    serviceId,
    mode: config.MODE,
    ...(config.SERVICE_VERSION ? { version: config.SERVICE_VERSION } : {}),
    intervalMs: config.HEARTBEAT_INTERVAL_SECONDS * 1000,
    market: {
      s3: deps.s3,
      bucket: config.MARKET_DATA_BUCKET,
      exchange: config.TRADING_EXCHANGE,
      symbol: config.TRADING_SYMBOL,
      timeframe: config.TRADING_TIMEFRAME,
      lookbackDays: config.TRADING_LOOKBACK_DAYS,
    },
    strategy,
    params,
    broker,
    heartbeats: new HeartbeatWriter(deps.db, config.HEARTBEATS_TABLE, config.HEARTBEAT_TTL_SECONDS),
    ...(config.TRADING_MODEL_NAME && deps.cloudwatch
      ? {
          performance: new LivePerformanceReporter({
            cloudwatch: deps.cloudwatch,
            modelName: config.TRADING_MODEL_NAME,
            mode: config.MODE,
            log: app.log.child({ component: "live-performance" }),
          }),
        }
      : {}),
    lease: new TradingLease(deps.db, {
      table: config.LEASES_TABLE,
      leaseId: serviceId,
      holder: deps.instanceId ?? `${hostname()}/${randomUUID()}`,
      durationMs: leaseDurationMs(config),
    }),
    log: app.log.child({ component: "trading-loop" }),
    ...(deps.sleep ? { sleep: deps.sleep } : {}),
    ...(deps.now ? { now: deps.now } : {}),
  });

  const started = loop;
  app.addHook("onReady", async () => started.start());
  app.addHook("onClose", async () => started.stop());
  return { app, loop: started };
}
