/**
 * Live execution on Binance spot: signed MARKET orders (`POST /api/v3/order`, HMAC-SHA256 of the query
 * with the API secret, key in `X-MBX-APIKEY`). Entries spend `quoteAmount` of the quote currency
 * (`quoteOrderQty`); exits sell the quantity the entry filled. The position is kept in memory: a restart
 * while long starts flat (the base asset balance is left alone, never sold blindly).
 */
import { createHmac } from "node:crypto";
import type { Logger } from "@tradai/service-common";
import { z } from "zod";
import type { ExchangeCredentials } from "./credentials";
import type { Broker } from "./paper-broker";

const OrderResponse = z.object({ orderId: z.number(), status: z.string(), executedQty: z.string() });

export interface BinanceBrokerOptions {
  baseUrl: string;
  credentials: ExchangeCredentials;
  /** `BTC/USDT` or `BTC-USDT`. */
  symbol: string;
  quoteAmount: number;
  log: Logger;
  fetch?: typeof fetch;
  now?: () => number;
}

export class BinanceSpotBroker implements Broker {
  private quantity: string | undefined;
  private readonly symbol: string;

  constructor(private readonly options: BinanceBrokerOptions) {
    this.symbol = options.symbol.toUpperCase().replace(/[/-]/, "");
  }

  async apply(target: 0 | 1, price: number, _time: number): Promise<number> {
    if (target === 1 && !this.quantity) {
      const filled = await this.order({ side: "BUY", quoteOrderQty: String(this.options.quoteAmount) });
      this.quantity = filled.executedQty;
      this.options.log.info(
        { side: "BUY", orderId: filled.orderId, quantity: filled.executedQty, price },
        "order filled",
      );
    } else if (target === 0 && this.quantity) {
      const filled = await this.order({ side: "SELL", quantity: this.quantity });
      this.options.log.info(
        { side: "SELL", orderId: filled.orderId, quantity: filled.executedQty, price },
        "order filled",
      );
      this.quantity = undefined;
    }
    return this.openPositions();
  }

  openPositions(): number {
    return this.quantity ? 1 : 0;
  }

  private async order(fields: Record<string, string>): Promise<z.infer<typeof OrderResponse>> {
    const query = new URLSearchParams({
      symbol: this.symbol,
      type: "MARKET",
      newOrderRespType: "RESULT",
      recvWindow: "5000",
      ...fields,
      timestamp: String((this.options.now ?? Date.now)()),
    });
    const signature = createHmac("sha256", this.options.credentials.apiSecret)
      .update(query.toString())
      .digest("hex");
    query.set("signature", signature);
    const response = await (this.options.fetch ?? fetch)(
      `${this.options.baseUrl.replace(/\/+$/, "")}/api/v3/order`,
      {
        method: "POST",
        headers: {
          "X-MBX-APIKEY": this.options.credentials.apiKey,
          "content-type": "application/x-www-form-urlencoded",
        },
        body: query.toString(),
        signal: AbortSignal.timeout(10_000),
      },
    );
    const body: unknown = await response.json().catch(() => undefined);
    if (!response.ok)
      throw new Error(`binance order rejected: HTTP ${response.status} ${JSON.stringify(body)}`);
    const parsed = OrderResponse.safeParse(body);
    if (!parsed.success) throw new Error("binance order: unexpected response shape");
    if (parsed.data.status !== "FILLED")
      throw new Error(`binance order ${parsed.data.orderId} not filled: ${parsed.data.status}`);
    return parsed.data;
  }
}
