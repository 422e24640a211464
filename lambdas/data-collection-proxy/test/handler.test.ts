import { InvalidEventError, logger, resetEnvCache } from "@tradai/lambda-common";
import { apiGatewayProxyEvent, scheduledEvent } from "@tradai/lambda-common/testing";
import type { APIGatewayProxyResult } from "aws-lambda";
import { handler } from "../src/handler";
import { type ScriptedServer, startScriptedServer } from "./http-server";

const request = {
  exchange: "binance",
  symbol: "BTC/USDT",
  timeframe: "1h",
  from: "2026-02-01T00:00:00Z",
  to: "2026-02-02T00:00:00Z",
};

const scheduled = scheduledEvent(new Date("2026-03-01T06:00:00Z"), "tradai-test-data-collection");

const apiEvent = (body: string | null) => apiGatewayProxyEvent("/collect", body);

describe("data-collection-proxy handler", () => {
  let server: ScriptedServer;

  beforeEach(async () => {
    server = await startScriptedServer();
    resetEnvCache();
    Object.assign(process.env, {
      DATA_COLLECTION_URL: server.url,
      DATA_COLLECTION_TIMEOUT_MS: "300",
      DATA_COLLECTION_MAX_ATTEMPTS: "3",
      DATA_COLLECTION_RETRY_BACKOFF_MS: "0",
      DEFAULT_COLLECTION_REQUESTS: JSON.stringify([
        { exchange: "binance", symbol: "BTC/USDT", timeframe: "1h", lookbackHours: 24 },
        { exchange: "kraken", symbol: "ETH-USD", timeframe: "15m", lookbackHours: 2 },
      ]),
    });
  });
  afterEach(async () => {
    await server.close();
  });

  it("forwards a direct request and returns the service's answer", async () => {
    server.script({ status: 202, json: { collectionId: "c-1", candles: 24 } });
    await expect(handler(request)).resolves.toEqual({ collectionId: "c-1", candles: 24 });
    expect(server.received.map((r) => [r.method, r.url, JSON.parse(r.body)])).toEqual([
      ["POST", "/v1/collect", request],
    ]);
  });

  it("on a schedule, sends each default request over the window ending at the event time", async () => {
    server.script(
      { status: 200, json: { candles: 24 } },
      { status: 503, text: "busy" },
      { status: 200, json: { candles: 8 } },
    );
    const result = (await handler(scheduled)) as { results: { status: number; answer: unknown }[] };
    expect(result.results.map((r) => r.answer)).toEqual([{ candles: 24 }, { candles: 8 }]);
    expect(server.received.map((r) => JSON.parse(r.body))).toEqual([
      {
        exchange: "binance",
        symbol: "BTC/USDT",
        timeframe: "1h",
        from: "2026-02-28T06:00:00.000Z",
        to: "2026-03-01T06:00:00.000Z",
      },
      {
        exchange: "kraken",
        symbol: "ETH-USD",
        timeframe: "15m",
        from: "2026-03-01T04:00:00.000Z",
        to: "2026-03-01T06:00:00.000Z",
      },
      {
        exchange: "kraken",
        symbol: "ETH-USD",
        timeframe: "15m",
        from: "2026-03-01T04:00:00.000Z",
        to: "2026-03-01T06:00:00.000Z",
      },
    ]);
  });

  it("answers an API request with the service's status and body", async () => {
    server.script({ status: 202, json: { collectionId: "c-2" } });
    const result = (await handler(apiEvent(JSON.stringify(request)))) as APIGatewayProxyResult;
    expect(result).toEqual({
      statusCode: 202,
      headers: { "content-type": "application/json" },
      body: '{"collectionId":"c-2"}',
    });
  });

  it("passes a 4xx back to the API caller with the service's message, without retrying", async () => {
    server.script({ status: 422, json: { message: "unsupported timeframe for kraken" } });
    jest.spyOn(logger, "error").mockImplementation(() => undefined);
    const result = (await handler(apiEvent(JSON.stringify(request)))) as APIGatewayProxyResult;
    expect(result.statusCode).toBe(422);
    expect(JSON.parse(result.body)).toEqual({ error: "unsupported timeframe for kraken" });
    expect(server.received).toHaveLength(1);
  });

  it("rejects an invalid API body with 400 listing every field, forwarding nothing", async () => {
    const logged = jest.spyOn(logger, "error").mockImplementation(() => undefined);
    const result = (await handler(
      apiEvent(JSON.stringify({ ...request, symbol: "btc", to: "2026-01-01" })),
    )) as APIGatewayProxyResult;
    expect(result.statusCode).toBe(400);
    const body = JSON.parse(result.body) as { errors: { path: string }[] };
    expect(body.errors.map((e) => e.path).sort()).toEqual(["symbol", "to"]);
    expect(logged).toHaveBeenCalledWith("invalid API request", { error: expect.any(InvalidEventError) });
    expect((await handler(apiEvent(null))) as APIGatewayProxyResult).toMatchObject({ statusCode: 400 });
    expect(server.received).toEqual([]);
  });

  it("throws a logged InvalidEventError for a bad direct request and forwards nothing", async () => {
    const logged = jest.spyOn(logger, "error").mockImplementation(() => undefined);
    await expect(handler({ exchange: "binance", symbol: "BTC/USDT" })).rejects.toThrow(
      /invalid collection request: timeframe: .*; from: .*; to: /,
    );
    expect(logged).toHaveBeenCalledWith("data-collection-proxy failed", {
      error: expect.any(InvalidEventError),
    });
    expect(server.received).toEqual([]);
  });

  it("fails a direct request with the service's 4xx message and gives up after the retry bound on 5xx", async () => {
    jest.spyOn(logger, "error").mockImplementation(() => undefined);
    server.script({ status: 400, json: { error: "from is in the future" } });
    await expect(handler(request)).rejects.toThrow(
      "data-collection rejected the request (HTTP 400): from is in the future",
    );
    server.script({ status: 500 }, { status: 500 }, { status: 500 }, { status: 200, json: {} });
    await expect(handler(request)).rejects.toThrow(/unavailable after 3 attempt\(s\)/);
    expect(server.received).toHaveLength(4);
  });

  it("reports which scheduled collections failed after trying all of them", async () => {
    jest.spyOn(logger, "error").mockImplementation(() => undefined);
    server.script(
      { status: 404, json: { message: "unknown exchange" } },
      { status: 200, json: { candles: 8 } },
    );
    await expect(handler(scheduled)).rejects.toThrow(
      "1 of 2 scheduled collections failed: binance BTC/USDT 1h: data-collection rejected the request (HTTP 404): unknown exchange",
    );
    expect(server.received).toHaveLength(2);
  });

  it("refuses a scheduled run when no default requests are configured", async () => {
    jest.spyOn(logger, "error").mockImplementation(() => undefined);
    process.env.DEFAULT_COLLECTION_REQUESTS = "[]";
    await expect(handler(scheduled)).rejects.toThrow(/DEFAULT_COLLECTION_REQUESTS is empty/);
    expect(server.received).toEqual([]);
  });

  afterEach(() => {
    jest.restoreAllMocks();
  });
});
