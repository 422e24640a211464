/** Heartbeats, data collection requests and the SNS message bodies (docs/runtime-contracts.md). */
import * as z from "zod";
import { checkRange, ExchangeId, IsoDateOrDateTime, IsoDateTime, Timeframe, TradingSymbol } from "./common";
import { BacktestMetrics } from "./job";

/** An item of the heartbeats table, written by each trading service instance. */
export const Heartbeat = z.object({
  serviceId: z.string().min(1),
  lastBeatAt: IsoDateTime,
  mode: z.enum(["dry-run", "live"]).optional(),
  /** Container image tag or version of the service. */
  version: z.string().optional(),
  openPositions: z.number().int().min(0).optional(),
  /** Epoch seconds; the table's TTL attribute. */
  expiresAt: z.number().int().optional(),
});
export type Heartbeat = z.infer<typeof Heartbeat>;

/** A request to collect OHLCV candles into the market-data bucket. */
export const CollectionRequest = z
  .object({
    exchange: ExchangeId,
    symbol: TradingSymbol,
    timeframe: Timeframe,
    from: IsoDateOrDateTime,
    to: IsoDateOrDateTime,
  })
  .superRefine(checkRange);
export type CollectionRequest = z.infer<typeof CollectionRequest>;

export const AlertSeverity = z.enum(["info", "warning", "critical"]);
export type AlertSeverity = z.infer<typeof AlertSeverity>;

/** Body of a message on the alerts topic sent by a Lambda or service. */
export const AlertMessage = z.object({
  severity: AlertSeverity,
  /** The function or service raising the alert. */
  source: z.string().min(1),
  title: z.string().min(1),
  message: z.string().min(1),
  environment: z.string().optional(),
  timestamp: IsoDateTime,
  details: z.record(z.string(), z.unknown()).optional(),
});
export type AlertMessage = z.infer<typeof AlertMessage>;

/** Outcomes a notification reports: backtests complete or fail; retraining also promotes or skips. */
export const NotificationOutcome = z.enum(["completed", "failed", "promoted", "not-promoted", "skipped"]);
export type NotificationOutcome = z.infer<typeof NotificationOutcome>;

/** Body of a message on the notifications topic: a job or workflow finished. */
export const NotificationMessage = z.object({
  kind: z.enum(["backtest", "retraining"]),
  outcome: NotificationOutcome,
  jobId: z.string().min(1),
  title: z.string().min(1),
  timestamp: IsoDateTime,
  environment: z.string().optional(),
  modelName: z.string().optional(),
  metrics: BacktestMetrics.optional(),
  resultKey: z.string().optional(),
  reasons: z.array(z.string()).optional(),
  error: z.string().optional(),
});
export type NotificationMessage = z.infer<typeof NotificationMessage>;
