import type { Candle } from "@tradai/service-common";

/** What a source adapter is asked for: candles opening in `[fromMs, toMs)`. */
export interface CandleQuery {
  /** Exchange notation `BASE/QUOTE` or storage notation `BASE-QUOTE`. */
  symbol: string;
  timeframe: string;
  fromMs: number;
  toMs: number;
}

/** An exchange's public market-data API. */
export interface CandleSource {
  readonly exchange: string;
  /** All candles opening in the range, ascending by open time, paginating as needed. */
  fetchCandles(query: CandleQuery): Promise<Candle[]>;
}

/** The exchange refused a request. `field` names the request field at fault when the exchange says so. */
export class ExchangeError extends Error {
  readonly status: number;
  readonly field: string | undefined;

  constructor(message: string, status: number, field?: string) {
    super(message);
    this.name = "ExchangeError";
    this.status = status;
    this.field = field;
  }
}
