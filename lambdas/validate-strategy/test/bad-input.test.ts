/**
 * Property: a malformed or oversized strategy is reported invalid with at least one error naming a field
 * (never `valid: true`, never a thrown error); behind the API it is a 422 (400 when the body is no JSON).
 * The function has no side effects of its own: what it accepts, the backend stores (a DynamoDB item).
 */
import {
  apiGatewayProxyEvent,
  badIdentifier,
  brokenEvent,
  notAString,
  PROPERTY_RUNS,
  quietLogger,
} from "@tradai/lambda-common/testing";
import type { APIGatewayProxyResult } from "aws-lambda";
import * as fc from "fast-check";
import { handler, type ValidationResult } from "../src/handler";

const valid = {
  id: "ema-cross",
  name: "EMA cross",
  version: "2.1.0",
  timeframe: "4h",
  symbols: ["ETH/USDT"],
  indicators: [
    { id: "fast", type: "ema", params: { period: 12 } },
    { id: "slow", type: "ema", params: { period: 26 } },
  ],
  entry: [{ left: { indicator: "fast" }, op: "crosses_above", right: { indicator: "slow" } }],
  exit: [{ left: { indicator: "fast" }, op: "crosses_below", right: { indicator: "slow" } }],
  position: { sizePct: 0.05 },
  risk: { stopLossPct: 0.03, takeProfitPct: 0.09, maxPositionPct: 0.1, maxOpenPositions: 2 },
};

/** `n` distinct valid symbols (`A0000/USDT`...). */
const manySymbols = (n: number) => Array.from({ length: n }, (_, i) => `A${String(i).padStart(5, "0")}/USDT`);
const manyIndicators = (n: number) =>
  Array.from({ length: n }, (_, i) => ({ id: `i${i}`, type: "sma", params: { period: 5 } }));
const manyParams = (n: number) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`p${i}`, i]));

const brokenStrategy = brokenEvent(valid, {
  id: badIdentifier(),
  name: fc.oneof(notAString(), fc.constantFrom("", "n".repeat(201))),
  version: fc.oneof(notAString(), fc.constantFrom("1", "1.0", "v1.0.0", "1.0.0-beta")),
  timeframe: fc.oneof(notAString(), fc.constantFrom("2d", "")),
  symbols: fc.oneof(
    notAString(),
    fc.constantFrom([], ["BTCUSDT"], ["ETH/USDT", "ETH/USDT"], manySymbols(1000)),
  ),
  indicators: fc.constantFrom(
    [{ id: "fast", type: "nope" }],
    manyIndicators(1000),
    [{ id: "fast", type: "ema", params: manyParams(1000) }],
    [{ id: "fast", type: "ema", params: { ["k".repeat(100_000)]: 1 } }],
  ),
  entry: fc.constantFrom(
    [],
    [{ left: { indicator: "nope" }, op: ">", right: { value: 1 } }],
    [{ left: { indicator: "fast", output: "o".repeat(100_000) }, op: ">", right: { value: 1 } }],
    Array.from({ length: 1000 }, () => valid.entry[0]),
  ),
  exit: fc.constantFrom(null, [{ left: { price: "mid" }, op: ">", right: { value: 1 } }]),
  position: fc.constantFrom(null, { sizePct: 0 }, { sizePct: 0.5 }),
  risk: fc.constantFrom(null, { ...valid.risk, stopLossPct: 0.5 }, { ...valid.risk, maxOpenPositions: 0 }),
});

describe("validate-strategy: bad input", () => {
  quietLogger();

  it("reports every malformed or oversized strategy invalid, with errors naming fields", async () => {
    await fc.assert(
      fc.asyncProperty(brokenStrategy, async (strategy) => {
        const result = (await handler(strategy)) as ValidationResult;
        expect(result.valid).toBe(false);
        expect(result.errors.length).toBeGreaterThan(0);
      }),
      { numRuns: PROPERTY_RUNS },
    );
  });

  it("answers every malformed or oversized strategy behind the API with 422 and the errors", async () => {
    await fc.assert(
      fc.asyncProperty(
        brokenStrategy.filter((s) => s !== undefined),
        async (strategy) => {
          const response = (await handler(
            apiGatewayProxyEvent("/strategies/validate", JSON.stringify(strategy)),
          )) as APIGatewayProxyResult;
          expect(response.statusCode).toBe(422);
          expect(JSON.parse(response.body)).toMatchObject({ valid: false, errors: expect.any(Array) });
        },
      ),
      { numRuns: PROPERTY_RUNS },
    );
  });
});
