import * as path from "node:path";
import { BinanceSource, ExchangeError } from "../src/sources";
import { type ReplayServer, startReplayServer } from "./replay-server";

const DAY = {
  fromMs: Date.parse("2024-01-01T00:00:00Z"),
  toMs: Date.parse("2024-01-02T00:00:00Z"),
  timeframe: "1d",
};

describe("BinanceSource retries", () => {
  let replay: ReplayServer;
  const waits: number[] = [];

  beforeEach(async () => {
    replay = await startReplayServer(path.join(__dirname, "fixtures", "binance-klines-retries.json"));
    waits.length = 0;
  });
  afterEach(() => replay.close());

  const source = () =>
    new BinanceSource({
      baseUrl: replay.url,
      pageLimit: 10,
      sleep: async (ms) => {
        waits.push(ms);
      },
    });

  it("waits the Retry-After of a 429 and then reads the page", async () => {
    const candles = await source().fetchCandles({ symbol: "ETH/USDT", ...DAY });
    expect(waits).toEqual([2000]);
    expect(replay.requests).toHaveLength(2);
    expect(candles).toEqual([
      { time: DAY.fromMs, open: 2281.87, high: 2398.39, low: 2261.46, close: 2352.04, volume: 301474.6159 },
    ]);
  });

  it("backs off exponentially on 5xx and gives up after three attempts", async () => {
    const error = await source()
      .fetchCandles({ symbol: "XRP-USDT", ...DAY })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ExchangeError);
    expect(error).toMatchObject({
      status: 503,
      field: undefined,
      message: expect.stringContaining("overloaded"),
    });
    expect(waits).toEqual([500, 1000]);
    expect(replay.requests).toHaveLength(3);
  });
});
