/**
 * Property: a malformed collection request is rejected before anything is sent to the data-collection
 * service: InvalidEventError when invoked directly or by a schedule, HTTP 400 behind the API.
 */
import { InvalidEventError } from "@tradai/lambda-common";
import {
  apiGatewayProxyEvent,
  badIdentifier,
  brokenEvent,
  brokenScheduledEvent,
  expectRejectedWithoutChange,
  notAString,
  PROPERTY_RUNS,
  quietLogger,
  scheduledEvent,
  stringOfBytes,
  useTestEnv,
} from "@tradai/lambda-common/testing";
import { useMoto } from "@tradai/testing";
import type { APIGatewayProxyResult } from "aws-lambda";
import * as fc from "fast-check";
import { handler } from "../src/handler";
import { type ScriptedServer, startScriptedServer } from "./http-server";

const valid = {
  exchange: "binance",
  symbol: "BTC/USDT",
  timeframe: "1h",
  from: "2026-02-01T00:00:00Z",
  to: "2026-02-02T00:00:00Z",
};

const brokenRequest = brokenEvent(valid, {
  exchange: fc.oneof(badIdentifier(), fc.constantFrom("Binance", "b", "x".repeat(33))),
  symbol: fc.oneof(badIdentifier(), fc.constantFrom("BTCUSDT", "btc/usdt", "BTC/USDT/EUR", "B/USDT")),
  timeframe: fc.oneof(notAString(), fc.constantFrom("2m", "1H", "")),
  from: fc.oneof(notAString(), fc.constantFrom("2026-02-03T00:00:00Z", "2026-02-30", "now")),
  to: fc.oneof(notAString(), fc.constantFrom("2026-01-01T00:00:00Z", stringOfBytes(100))),
});

describe("data-collection-proxy: bad input", () => {
  useMoto();
  quietLogger();
  let server: ScriptedServer;
  useTestEnv(async () => {
    server = await startScriptedServer();
    return {
      DATA_COLLECTION_URL: server.url,
      DATA_COLLECTION_TIMEOUT_MS: "300",
      DATA_COLLECTION_MAX_ATTEMPTS: "1",
      DATA_COLLECTION_RETRY_BACKOFF_MS: "0",
      DEFAULT_COLLECTION_REQUESTS: JSON.stringify([
        { exchange: "binance", symbol: "BTC/USDT", timeframe: "1h", lookbackHours: 24 },
      ]),
    };
  });
  afterAll(() => server.close());
  const sent = () => server.received.length;

  it("rejects every malformed direct or scheduled invocation with InvalidEventError, sending nothing", async () => {
    const events = fc.oneof(
      brokenRequest,
      brokenScheduledEvent(scheduledEvent(new Date()) as unknown as Record<string, unknown>),
    );
    await fc.assert(
      fc.asyncProperty(events, (event) =>
        expectRejectedWithoutChange(() => handler(event), InvalidEventError, sent),
      ),
      { numRuns: PROPERTY_RUNS },
    );
  });

  it("answers every malformed API request with 400 naming the problem, sending nothing", async () => {
    const bodies = fc.oneof(
      brokenRequest.map((request) => JSON.stringify(request) ?? "undefined"),
      fc.constantFrom("", "{", "not json", stringOfBytes(1024, "{")),
    );
    await fc.assert(
      fc.asyncProperty(bodies, async (body) => {
        const before = sent();
        const response = (await handler(apiGatewayProxyEvent("/collect", body))) as APIGatewayProxyResult;
        expect(response.statusCode).toBe(400);
        expect(JSON.parse(response.body)).toEqual(
          expect.objectContaining({ error: expect.stringMatching(/^invalid /) }),
        );
        expect(sent()).toBe(before);
      }),
      { numRuns: PROPERTY_RUNS },
    );
  });
});
