/**
 * The live performance of the model a trading service runs, as a CloudWatch metric: `LiveDrawdown`, the
 * fraction of its peak that the strategy's live equity has lost (0 at a new peak), with the dimensions
 * `ModelName` and `Mode`. An alarm on it is model-rollback's automatic trigger: the alarm names the
 * model through the `ModelName` dimension, which is how model-rollback reads an alarm event.
 *
 * Equity follows the decisions the loop makes on closed candles (exposure held from one candle's close to
 * the next, before fees), so dry-run and live measure the same thing: how the model's signals perform.
 */
import { type CloudWatchClient, PutMetricDataCommand } from "@aws-sdk/client-cloudwatch";
import { METRICS_NAMESPACE, PLATFORM_METRICS } from "@tradai/contracts";
import type { Logger } from "@tradai/service-common";

export { METRICS_NAMESPACE };
/** The metric model-rollback's alarm watches. */
export const LIVE_DRAWDOWN_METRIC = PLATFORM_METRICS.liveDrawdown;

/** Equity and drawdown of a position series. */
export class DrawdownTracker {
  private equity = 1;
  private peak = 1;
  private last: { time: number; close: number; exposure: 0 | 1 } | undefined;

  /**
   * Records the exposure decided at a closed candle and returns the drawdown so far. A candle already
   * recorded (the loop ticks several times per candle) changes nothing.
   */
  record(time: number, close: number, exposure: 0 | 1): number {
    if (!this.last || time > this.last.time) {
      if (this.last) this.equity *= 1 + this.last.exposure * (close / this.last.close - 1);
      this.peak = Math.max(this.peak, this.equity);
      this.last = { time, close, exposure };
    }
    return 1 - this.equity / this.peak;
  }
}

/**
 * Publishes the drawdown of one model's live run on every tick (a steady series: a gap means the
 * service stopped deciding); never throws.
 */
export class LivePerformanceReporter {
  private readonly tracker = new DrawdownTracker();

  constructor(
    private readonly options: {
      cloudwatch: CloudWatchClient;
      modelName: string;
      mode: "dry-run" | "live";
      log: Logger;
    },
  ) {}

  async observe(time: number, close: number, exposure: 0 | 1, now: Date): Promise<void> {
    const drawdown = this.tracker.record(time, close, exposure);
    try {
      await this.options.cloudwatch.send(
        new PutMetricDataCommand({
          Namespace: METRICS_NAMESPACE,
          MetricData: [
            {
              MetricName: LIVE_DRAWDOWN_METRIC,
              Value: drawdown,
              Unit: "None",
              Timestamp: now,
              Dimensions: [
                { Name: "ModelName", Value: this.options.modelName },
                { Name: "Mode", Value: this.options.mode },
              ],
            },
          ],
        }),
      );
    } catch (error) {
      this.options.log.error({ err: error, drawdown }, "could not publish the live drawdown");
    }
  }
}
