/**
 * Binance spot market data: `GET /api/v3/klines` (public, no key). Each row is
 * `[openTime, open, high, low, close, volume, closeTime, quoteVolume, trades, takerBase, takerQuote, ignore]`
 * with prices and volumes as decimal strings. At most `limit` (<= 1000) rows per call, so long ranges are
 * paged by moving `startTime` past the last open time received.
 */
import { type Candle, timeframeMs } from "@tradai/service-common";
import { z } from "zod";
import { type CandleQuery, type CandleSource, ExchangeError } from "./types";

const decimal = z
  .string()
  .regex(/^-?\d+(\.\d+)?$/)
  .transform(Number);
const KlineRow = z.tuple([z.number().int(), decimal, decimal, decimal, decimal, decimal], z.unknown());
const KlinesResponse = z.array(KlineRow);
const BinanceErrorBody = z.object({ code: z.number(), msg: z.string() });

/** Binance error codes that point at a request field. */
const FIELD_BY_CODE: Readonly<Record<number, string>> = { [-1121]: "symbol", [-1120]: "timeframe" };

export interface BinanceOptions {
  /** e.g. `https://api.binance.com` (or `https://data-api.binance.vision`). */
  baseUrl: string;
  /** Rows per request, 1..1000. @default 1000 */
  pageLimit?: number;
  /** Per-request timeout. @default 10000 */
  timeoutMs?: number;
  fetch?: typeof fetch;
  /** Attempts per page on rate limiting (429), IP bans (418) and 5xx. @default 3 */
  maxAttempts?: number;
  /** Waits between attempts; injectable for tests. */
  sleep?: (ms: number) => Promise<void>;
}

/** Longest wait honoured from a `Retry-After` header; a longer ban fails the request instead. */
const MAX_RETRY_AFTER_MS = 30_000;

const isRetryable = (status: number) => status === 429 || status === 418 || status >= 500;

export class BinanceSource implements CandleSource {
  readonly exchange = "binance";
  private readonly baseUrl: string;
  private readonly pageLimit: number;
  private readonly timeoutMs: number;
  private readonly fetchImpl: typeof fetch;
  private readonly maxAttempts: number;
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(options: BinanceOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, "");
    this.pageLimit = options.pageLimit ?? 1000;
    if (!Number.isInteger(this.pageLimit) || this.pageLimit < 1 || this.pageLimit > 1000) {
      throw new Error(`Binance page limit must be 1..1000, got ${this.pageLimit}`);
    }
    this.timeoutMs = options.timeoutMs ?? 10_000;
    this.fetchImpl = options.fetch ?? fetch;
    this.maxAttempts = options.maxAttempts ?? 3;
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
  }

  async fetchCandles(query: CandleQuery): Promise<Candle[]> {
    const step = timeframeMs(query.timeframe);
    const symbol = query.symbol.toUpperCase().replace(/[/-]/, "");
    const candles: Candle[] = [];
    let start = query.fromMs;
    while (start < query.toMs) {
      const page = await this.page(symbol, query.timeframe, start, query.toMs - 1);
      for (const candle of page) {
        if (candle.time >= query.toMs) break;
        if (candle.time >= start) candles.push(candle);
      }
      const last = page.at(-1);
      if (page.length < this.pageLimit || last === undefined) break;
      start = last.time + step;
    }
    return candles;
  }

  private async page(
    symbol: string,
    interval: string,
    startTime: number,
    endTime: number,
  ): Promise<Candle[]> {
    const params = new URLSearchParams({
      symbol,
      interval,
      startTime: String(startTime),
      endTime: String(endTime),
      limit: String(this.pageLimit),
    });
    const url = `${this.baseUrl}/api/v3/klines?${params}`;
    let response = await this.fetchImpl(url, { signal: AbortSignal.timeout(this.timeoutMs) });
    for (let attempt = 1; isRetryable(response.status) && attempt < this.maxAttempts; attempt++) {
      // Binance asks clients to back off for Retry-After seconds; ignoring it escalates 429s to IP bans.
      const retryAfter = Number(response.headers.get("retry-after"));
      const waitMs =
        Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter * 1000 : 500 * 2 ** (attempt - 1);
      if (waitMs > MAX_RETRY_AFTER_MS) break;
      await response.body?.cancel();
      await this.sleep(waitMs);
      response = await this.fetchImpl(url, { signal: AbortSignal.timeout(this.timeoutMs) });
    }
    const body: unknown = await response.json().catch(() => undefined);
    if (!response.ok) {
      const error = BinanceErrorBody.safeParse(body);
      const message = error.success
        ? `binance: ${error.data.msg} (code ${error.data.code})`
        : `binance: HTTP ${response.status}`;
      throw new ExchangeError(
        message,
        response.status,
        error.success ? FIELD_BY_CODE[error.data.code] : undefined,
      );
    }
    const rows = KlinesResponse.safeParse(body);
    if (!rows.success) throw new ExchangeError("binance: unexpected klines response shape", 502);
    return rows.data.map(([time, open, high, low, close, volume]) => ({
      time,
      open,
      high,
      low,
      close,
      volume,
    }));
  }
}
