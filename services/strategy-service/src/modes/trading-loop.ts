/**
 * The trading loop of `dry-run` and `live`: every interval it decides the target exposure from the latest
 * stored candles, takes or renews the trading lease, hands the decision to the broker only while it holds
 * the lease, and writes a heartbeat. A failed decision (e.g. market data not collected yet) is logged and
 * the heartbeat still reports the loop alive; a failed heartbeat write is logged and retried on the next
 * tick; a lease that cannot be read or written means no order. `stop()` ends the loop after the tick in
 * progress and releases the lease.
 */
import type { S3Client } from "@aws-sdk/client-s3";
import type { Heartbeat } from "@tradai/contracts";
import { alignDown, DAY_MS, type Logger, timeframeMs } from "@tradai/service-common";
import { loadCandles } from "../market/candles";
import type { BuiltInStrategy } from "../strategies";
import type { HeartbeatWriter } from "./heartbeat";
import type { TradingLease } from "./lease";
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
  /** Held before any order: one trading instance per service. */
  lease: TradingLease;
  log: Logger;
  sleep?: Sleep;
  now?: () => Date;
}

export class TradingLoop {
  private readonly abort = new AbortController();
  private running: Promise<void> | undefined;
  private lastBeat: Heartbeat | undefined;
  private lastBeatOk = false;
  private leaseHeld = false;
  /** Completed ticks. */
  ticks = 0;
  /** Decisions handed to the broker (only while holding the lease). */
  applied = 0;

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

  /** The last heartbeat written, whether the last write succeeded, and whether this instance may trade. */
  status(): { lastBeat: Heartbeat | undefined; healthy: boolean; leaseHeld: boolean } {
    return { lastBeat: this.lastBeat, healthy: this.lastBeatOk, leaseHeld: this.leaseHeld };
  }

  private async loop(): Promise<void> {
    const sleep = this.options.sleep ?? realSleep;
    while (!this.abort.signal.aborted) {
      await this.tick();
      this.ticks += 1;
      if (this.abort.signal.aborted) break;
      await sleep(this.options.intervalMs, this.abort.signal);
    }
    await this.releaseLease();
    this.options.log.info({ ticks: this.ticks }, "trading loop stopped");
  }

  /** Takes or renews the lease; false (no order) when another instance holds it or DynamoDB fails. */
  private async holdLease(now: Date): Promise<boolean> {
    const { lease, log } = this.options;
    try {
      const state = await lease.acquire(now);
      if (state.held) {
        if (!this.leaseHeld) log.info({ holder: lease.holder, until: state.until }, "took the trading lease");
      } else if (this.leaseHeld) {
        log.warn({ holder: state.holder, until: state.until }, "lost the trading lease; not trading");
      } else {
        log.info(
          { holder: state.holder, until: state.until },
          "another instance trades; waiting for the lease",
        );
      }
      this.leaseHeld = state.held;
    } catch (error) {
      this.leaseHeld = false;
      log.error({ err: error }, "trading lease unavailable; not trading");
    }
    return this.leaseHeld;
  }

  /** Graceful stop: the next instance need not wait for the lease to expire. */
  private async releaseLease(): Promise<void> {
    if (!this.leaseHeld) return;
    try {
      await this.options.lease.release();
      this.leaseHeld = false;
      this.options.log.info("released the trading lease");
    } catch (error) {
      this.options.log.error({ err: error }, "trading lease release failed; it expires on its own");
    }
  }

  /** One decision and one heartbeat. Never throws. */
  async tick(): Promise<void> {
    const { log, market, strategy, params, broker } = this.options;
    const now = (this.options.now ?? (() => new Date()))();
    let decision: { target: 0 | 1; price: number; time: number } | undefined;
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
        decision = {
          target: strategy.exposure(candles, params).at(-1) ?? 0,
          price: last.close,
          time: last.time,
        };
      }
    } catch (error) {
      log.error({ err: error }, "trading decision failed; holding position");
    }
    // Renewed on every tick, with or without a decision, so the holder keeps it while data is late.
    const mayTrade = await this.holdLease(now);
    if (decision && mayTrade) {
      try {
        await broker.apply(decision.target, decision.price, decision.time);
        this.applied += 1;
        // Only the instance that trades reports the model's live performance.
        await this.options.performance?.observe(decision.time, decision.price, decision.target, now);
      } catch (error) {
        log.error({ err: error }, "order failed; holding position");
      }
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
