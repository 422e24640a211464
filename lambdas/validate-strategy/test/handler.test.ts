import type { StrategyDefinition } from "@tradai/contracts";
import { apiGatewayProxyEvent } from "@tradai/lambda-common/testing";
import type { APIGatewayProxyResult } from "aws-lambda";
import { handler, type ValidationResult } from "../src/handler";

const strategy = (): StrategyDefinition => ({
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
});

/** An API Gateway REST proxy event, as the Lambda proxy integration delivers it. */
const proxyEvent = (body: string | null, isBase64Encoded = false) =>
  apiGatewayProxyEvent("/strategies/validate", body, { isBase64Encoded });

describe("validate-strategy", () => {
  it("returns valid with no errors for a good strategy (direct / Step Functions)", async () => {
    expect(await handler(strategy())).toEqual({ valid: true, errors: [] });
  });

  it("returns every error, schema and constraints together", async () => {
    const bad = strategy() as unknown as Record<string, unknown>;
    bad.timeframe = "2d";
    bad.symbols = [];
    (bad.risk as StrategyDefinition["risk"]).stopLossPct = 0.2;
    (bad.position as StrategyDefinition["position"]).sizePct = 0.5;
    (bad.entry as StrategyDefinition["entry"]).push({
      left: { indicator: "rsi" },
      op: "<",
      right: { value: 30 },
    });
    const result = (await handler(bad)) as ValidationResult;
    expect(result.valid).toBe(false);
    expect(result.errors.map((e) => e.path).sort()).toEqual(
      ["entry.1.left.indicator", "position.sizePct", "risk.stopLossPct", "symbols", "timeframe"].sort(),
    );
  });

  it("answers API Gateway with 200 or 422 and the result as JSON body", async () => {
    const ok = (await handler(proxyEvent(JSON.stringify(strategy())))) as APIGatewayProxyResult;
    expect(ok.statusCode).toBe(200);
    expect(JSON.parse(ok.body)).toEqual({ valid: true, errors: [] });

    const invalid = { ...strategy(), version: "latest" };
    const encoded = Buffer.from(JSON.stringify(invalid)).toString("base64");
    const rejected = (await handler(proxyEvent(encoded, true))) as APIGatewayProxyResult;
    expect(rejected.statusCode).toBe(422);
    expect(JSON.parse(rejected.body).errors).toEqual([
      { path: "version", message: expect.stringMatching(/semantic version/) },
    ]);
  });

  it("answers 400 for a body that is empty or not JSON", async () => {
    for (const body of [null, "", "{not json"]) {
      const res = (await handler(proxyEvent(body))) as APIGatewayProxyResult;
      expect(res.statusCode).toBe(400);
      expect(JSON.parse(res.body)).toMatchObject({ valid: false, errors: [{ path: "" }] });
    }
  });

  it("rejects a direct input that is not an object with one root error", async () => {
    expect(await handler(42)).toEqual({ valid: false, errors: [{ path: "", message: expect.any(String) }] });
  });
});
