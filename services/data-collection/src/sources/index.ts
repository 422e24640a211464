import { BinanceSource } from "./binance";
import type { CandleSource } from "./types";

export * from "./binance";
export * from "./types";

/** Source adapters by exchange id. */
export type SourceRegistry = ReadonlyMap<string, CandleSource>;

export interface SourceSettings {
  binanceBaseUrl: string;
  pageLimit: number;
  timeoutMs: number;
}

/** The adapters this service supports, configured from env. */
export function defaultSources(settings: SourceSettings): SourceRegistry {
  const binance = new BinanceSource({
    baseUrl: settings.binanceBaseUrl,
    pageLimit: settings.pageLimit,
    timeoutMs: settings.timeoutMs,
  });
  return new Map([[binance.exchange, binance]]);
}
