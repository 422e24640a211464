import { randomUUID } from "node:crypto";
import {
  BacktestJobMessage,
  BacktestResultMessage,
  isLegalTransition,
  JOB_TRANSITIONS,
  JobStatus,
  type StrategyDefinition,
  validateStrategy,
} from "@tradai/contracts";

const strategy = (): StrategyDefinition => ({
  id: "rsi-reversal",
  name: "RSI reversal",
  version: "1.0.0",
  timeframe: "1h",
  symbols: ["BTC/USDT", "ETH/USDT"],
  indicators: [
    { id: "rsi14", type: "rsi", params: { period: 14 } },
    { id: "ema50", type: "ema", params: { period: 50 } },
  ],
  entry: [
    { left: { indicator: "rsi14" }, op: "<", right: { value: 30 } },
    { left: { price: "close" }, op: ">", right: { indicator: "ema50" } },
  ],
  exit: [{ left: { indicator: "rsi14" }, op: ">", right: { value: 70 } }],
  position: { sizePct: 0.1 },
  risk: { stopLossPct: 0.02, takeProfitPct: 0.06, maxPositionPct: 0.2, maxOpenPositions: 3 },
});

describe("job status transitions", () => {
  it("allows exactly the contract's transitions", () => {
    const allowed = JobStatus.options.flatMap((from) =>
      JobStatus.options.filter((to) => isLegalTransition(from, to)).map((to) => `${from}->${to}`),
    );
    expect(allowed.sort()).toEqual(
      [
        "PENDING->RUNNING",
        "PENDING->FAILED",
        "PENDING->CANCELLED",
        "RUNNING->COMPLETED",
        "RUNNING->FAILED",
        "RUNNING->CANCELLED",
      ].sort(),
    );
    expect(JOB_TRANSITIONS.COMPLETED).toEqual([]);
  });
});

describe("BacktestJobMessage", () => {
  const valid = {
    jobId: randomUUID(),
    strategyId: "rsi-reversal",
    exchange: "binance",
    symbol: "BTC/USDT",
    timeframe: "1h",
    from: "2025-01-01",
    to: "2025-06-30T00:00:00Z",
  };
  it("accepts a valid message and defaults parameters", () => {
    expect(BacktestJobMessage.parse(valid).parameters).toEqual({});
  });
  it("reports every bad field, including a reversed range", () => {
    const result = BacktestJobMessage.safeParse({ ...valid, jobId: "nope", timeframe: "7m" });
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((i) => i.path.join("."))).toEqual(["jobId", "timeframe"]);
    const reversed = BacktestJobMessage.safeParse({ ...valid, from: "2025-07-01" });
    expect(reversed.error?.issues.map((i) => i.path.join("."))).toEqual(["to"]);
  });
});

describe("BacktestResultMessage", () => {
  it("requires metrics for COMPLETED and an error for FAILED", () => {
    const jobId = randomUUID();
    expect(BacktestResultMessage.safeParse({ jobId, status: "COMPLETED" }).error?.issues[0]?.path).toEqual([
      "metrics",
    ]);
    expect(BacktestResultMessage.safeParse({ jobId, status: "FAILED" }).error?.issues[0]?.path).toEqual([
      "error",
    ]);
    expect(BacktestResultMessage.safeParse({ jobId, status: "FAILED", error: "boom" }).success).toBe(true);
  });
});

describe("validateStrategy", () => {
  it("accepts a consistent strategy", () => {
    const result = validateStrategy(strategy());
    expect(result).toMatchObject({ valid: true, errors: [] });
  });

  it("returns every schema and constraint error at once", () => {
    const bad = strategy();
    bad.version = "one";
    bad.risk.stopLossPct = 0.1;
    bad.risk.takeProfitPct = 0.05;
    bad.position.sizePct = 0.5;
    bad.exit = [{ left: { indicator: "macd" }, op: ">", right: { value: 0 } }];
    const result = validateStrategy(bad);
    expect(result.valid).toBe(false);
    expect(result.errors.map((e) => e.path).sort()).toEqual(
      ["version", "risk.stopLossPct", "position.sizePct", "exit.0.left.indicator"].sort(),
    );
    expect(result.errors.find((e) => e.path === "exit.0.left.indicator")?.message).toMatch(
      /unknown indicator macd/,
    );
  });

  it("still checks constraints of valid parts when other parts are malformed", () => {
    const bad: Record<string, unknown> = { ...strategy(), symbols: "BTC/USDT" };
    (bad.risk as StrategyDefinition["risk"]).stopLossPct = 0.5;
    (bad.risk as StrategyDefinition["risk"]).takeProfitPct = 0.1;
    const result = validateStrategy(bad);
    expect(result.errors.map((e) => e.path)).toEqual(["symbols", "risk.stopLossPct"]);
  });

  it("reports duplicate indicator ids and symbols", () => {
    const bad = strategy();
    bad.symbols.push("BTC/USDT");
    bad.indicators.push({ id: "rsi14", type: "rsi", params: { period: 7 } });
    expect(validateStrategy(bad).errors.map((e) => e.path)).toEqual(["symbols.2", "indicators.2.id"]);
  });

  it("rejects a non-object with one root error", () => {
    expect(validateStrategy("nope")).toEqual({
      valid: false,
      errors: [{ path: "", message: expect.any(String) }],
    });
  });
});
