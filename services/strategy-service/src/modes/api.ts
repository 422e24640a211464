/**
 * `MODE=api` (ECS service `strategy-service`): the strategy registry and a synchronous backtest runner
 * for small ranges (larger ones go through `POST /v1/backtests` on the backend and the job queue).
 */
import type { S3Client } from "@aws-sdk/client-s3";
import { BacktestRequest, Slug } from "@tradai/contracts";
import {
  bucketReadiness,
  createServiceApp,
  DAY_MS,
  HttpError,
  parseRequest,
  RequestValidationError,
  type ServiceApp,
} from "@tradai/service-common";
import { z } from "zod";
import type { ApiConfig } from "../config";
import { runStrategy } from "../engine/run";
import { loadCandles, MarketDataError } from "../market/candles";
import { describeStrategy, resolveStrategy, STRATEGIES } from "../strategies";

/** A synchronous backtest: the same request the backend queues. */
export const RunBacktestRequest = BacktestRequest;

export interface ApiDeps {
  s3: S3Client;
}

export function buildApiApp(config: ApiConfig, deps: ApiDeps): ServiceApp {
  const app = createServiceApp({
    service: "strategy-service",
    logLevel: config.LOG_LEVEL,
    readiness: [bucketReadiness("market-data-bucket", deps.s3, config.MARKET_DATA_BUCKET)],
  });

  app.get("/v1/strategies", async () => ({ items: [...STRATEGIES.values()].map(describeStrategy) }));

  app.get("/v1/strategies/:id", async (request) => {
    const { id } = parseRequest(z.object({ id: Slug }), request.params, "params");
    const strategy = STRATEGIES.get(id);
    if (!strategy) throw new HttpError(404, `no built-in strategy ${id}`);
    return describeStrategy(strategy);
  });

  app.post("/v1/backtests/run", async (request) => {
    const body = parseRequest(RunBacktestRequest, request.body, "body");
    const { strategy, params } = resolveStrategy(body.strategyId, body.parameters, "body");
    const fromMs = Date.parse(body.from);
    const toMs = Date.parse(body.to);
    if (toMs - fromMs > config.SYNC_BACKTEST_MAX_DAYS * DAY_MS) {
      throw new RequestValidationError([
        {
          field: "body.to",
          message: `range longer than ${config.SYNC_BACKTEST_MAX_DAYS} days; submit a backtest job instead`,
        },
      ]);
    }
    let candles: Awaited<ReturnType<typeof loadCandles>>;
    try {
      candles = await loadCandles(deps.s3, config.MARKET_DATA_BUCKET, { ...body, fromMs, toMs });
    } catch (error) {
      if (error instanceof MarketDataError) throw new HttpError(422, error.message);
      throw error;
    }
    if (candles.length === 0) throw new HttpError(422, "no candles in the requested range");
    const result = runStrategy(strategy, params, candles, body.timeframe);
    return {
      strategyId: strategy.id,
      parameters: params,
      candles: candles.length,
      metrics: result.metrics,
      trades: result.trades,
    };
  });

  return app;
}
