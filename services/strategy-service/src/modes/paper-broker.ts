/**
 * Executes the strategy's target exposure. `dry-run` fills simulated orders at the decision candle's
 * close and keeps the position in memory; nothing reaches an exchange.
 */
import type { Logger } from "@tradai/service-common";

export interface Broker {
  /** Moves the position to `target` (0 flat, 1 long) at `price`; returns the open position count. */
  apply(target: 0 | 1, price: number, time: number): Promise<number>;
  openPositions(): number;
}

export class PaperBroker implements Broker {
  private position: { price: number; time: number } | undefined;
  private realised = 0;

  constructor(
    private readonly log: Logger,
    private readonly feeRate: number,
  ) {}

  async apply(target: 0 | 1, price: number, time: number): Promise<number> {
    if (target === 1 && !this.position) {
      this.position = { price, time };
      this.log.info({ side: "buy", price, candleTime: new Date(time).toISOString() }, "paper order filled");
    } else if (target === 0 && this.position) {
      const gross = price / this.position.price;
      const net = gross * (1 - this.feeRate) ** 2 - 1;
      this.realised = (1 + this.realised) * (1 + net) - 1;
      this.log.info({ side: "sell", price, tradeReturn: net, realised: this.realised }, "paper order filled");
      this.position = undefined;
    }
    return this.openPositions();
  }

  openPositions(): number {
    return this.position ? 1 : 0;
  }
}
