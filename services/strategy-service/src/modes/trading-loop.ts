/**
 * The trading loop of `dry-run` and `live`: every interval it decides the target exposure from the latest
 * stored candles, hands it to the broker and writes a heartbeat. A failed decision (e.g. market data not
 * collected yet) is logged and the heartbeat still reports the loop alive; a failed heartbeat write is
 * logged and retried on the next tick. `stop()` ends the loop after the tick in progress.
 */
import type { S3Client } from "@aws-sdk/client-s3";
import type { Heartbeat } from "@tradai/lambda-common/schemas";
import { alignDown, DAY_MS, type Logger, timeframeMs } from "@tradai/service-common";
import { loadCandles } from "../market/candles";
import type { BuiltInStrategy } from "../strategies";
import type { HeartbeatWriter } from "./heartbeat";
import type { LivePerformanceReporter } from "./live-performance";
import type { Broker } from "./paper-broker";

/** Waits `ms` or until `signal` aborts (then resolves early). Injectable so tests drive the loop. */
export type Sleep = (ms: number, signal: AbortSignal) => Promise<void>;

export const realSleep: Sleep = (ms, signal) =>
  new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    }
    signal.addEventListener("abort", done, { once: true });
  });

export interface TradingLoopOptions {
  serviceId: string;
  mode: "dry-run" | "live";
  version?: string;
  intervalMs: number;
  market: {
    s3: S3Client;
    bucket: string;
    exchange: string;
    symbol: string;
    timeframe: string;
    lookbackDays: number;
  };
  strategy: BuiltInStrategy;
  params: Record<string, number>;
  broker: Broker;
  heartbeats: HeartbeatWriter;
  /** Publishes the model's live drawdown (model-rollback's alarm metric). @default none */
  performance?: LivePerformanceReporter;
  log: Logger;
  sleep?: Sleep;
  now?: () => Date;
}

export class TradingLoop {
  private readonly abort = new AbortController();
  private running: Promise<void> | undefined;
  private lastBeat: Heartbeat | undefined;
  private lastBeatOk = false;
  /** Completed ticks. */
  ticks = 0;

  constructor(private readonly options: TradingLoopOptions) {}

  /** Starts ticking (first tick immediately). */
  start(): void {
    if (this.running) return;
    this.running = this.loop();
  }

  /** Stops after the tick in progress; resolves once the loop has ended. */
  async stop(): Promise<void> {
    this.abort.abort();
    await this.running;
  }

  /** The last heartbeat written, and whether the last write succeeded. */
  status(): { lastBeat: Heartbeat | undefined; healthy: boolean } {
    return { lastBeat: this.lastBeat, healthy: this.lastBeatOk };
  }

  private async loop(): Promise<void> {
    const sleep = this.options.sleep ?? realSleep;
    while (!this.abort.signal.aborted) {
      await this.tick();
      this.ticks += 1;
      if (this.abort.signal.aborted) break;
      await sleep(this.options.intervalMs, this.abort.signal);
    }
    this.options.log.info({ ticks: this.ticks }, "trading loop stopped");
  }

  /** One decision and one heartbeat. Never throws. */
  async tick(): Promise<void> {
    const { log, market, strategy, params, broker } = this.options;
    const now = (this.options.now ?? (() => new Date()))();
    try {
      const step = timeframeMs(market.timeframe);
      // Only closed candles: the one opening at alignDown(now) is still forming.
      const toMs = alignDown(now.getTime(), market.timeframe);
      const candles = await loadCandles(market.s3, market.bucket, {
        exchange: market.exchange,
        symbol: market.symbol,
        timeframe: market.timeframe,
        fromMs: toMs - market.lookbackDays * DAY_MS,
        toMs,
      });
      const last = candles.at(-1);
      if (!last || last.time < toMs - step) {
        log.warn({ lastCandle: last?.time }, "latest closed candle not collected yet; holding position");
      } else {
        const target = strategy.exposure(candles, params).at(-1) ?? 0;
        await broker.apply(target, last.close, last.time);
        await this.options.performance?.observe(last.time, last.close, target, now);
      }
    } catch (error) {
      log.error({ err: error }, "trading decision failed; holding position");
    }
    try {
      this.lastBeat = await this.options.heartbeats.beat(
        {
          serviceId: this.options.serviceId,
          mode: this.options.mode,
          ...(this.options.version ? { version: this.options.version } : {}),
          openPositions: broker.openPositions(),
        },
        now,
      );
      this.lastBeatOk = true;
    } catch (error) {
      this.lastBeatOk = false;
      log.error({ err: error }, "heartbeat write failed");
    }
  }
}
