import { openApiDocument } from "../src/openapi";

describe("OpenAPI document", () => {
  const doc = openApiDocument() as {
    openapi: string;
    paths: Record<string, Record<string, unknown>>;
    components: { schemas: Record<string, { properties?: Record<string, unknown>; required?: string[] }> };
  };

  it("describes every route the API serves", () => {
    expect(doc.openapi).toBe("3.1.0");
    expect(Object.keys(doc.paths).sort()).toEqual([
      "/health",
      "/ready",
      "/v1/backtests",
      "/v1/jobs/{id}",
      "/v1/strategies",
      "/v1/strategies/{id}",
    ]);
    expect(Object.keys(doc.paths["/v1/strategies/{id}"] ?? {})).toEqual(
      expect.arrayContaining(["get", "put", "delete"]),
    );
  });

  it("derives the request schemas from the zod schemas the routes validate with", () => {
    const backtest = doc.components.schemas.BacktestRequest;
    expect(Object.keys(backtest?.properties ?? {}).sort()).toEqual([
      "exchange",
      "from",
      "parameters",
      "strategyId",
      "symbol",
      "timeframe",
      "to",
    ]);
    // `parameters` has a default, so it is optional for callers.
    expect(backtest?.required?.sort()).toEqual([
      "exchange",
      "from",
      "strategyId",
      "symbol",
      "timeframe",
      "to",
    ]);
    expect(backtest?.properties?.timeframe).toMatchObject({
      enum: expect.arrayContaining(["1m", "1h", "1d"]),
    });
    const strategy = doc.components.schemas.StrategyDefinition;
    expect(strategy?.required).toEqual(expect.arrayContaining(["id", "entry", "risk", "position"]));
  });
});
