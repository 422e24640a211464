/**
 * Flow 1 on the dev plan as planned: an authenticated POST /v1/backtests for a stored strategy goes
 * PENDING -> backtest-jobs queue -> sqs-consumer -> local backtest task (fixture candles in S3) ->
 * backtest-results queue -> backtest-consumer -> COMPLETED with metrics, its result object in S3 and a
 * notification; a failing strategy ends FAILED with its reason; a poison message is dead-lettered.
 */
import { backtestFlow, poisonFlow, runBacktest } from "./flows";
import { usePlatform } from "./harness";

jest.setTimeout(180_000);

describe("flow 1: backtest, end to end on the dev plan", () => {
  // Failed records come back at once instead of after the queue's 6 minutes, so redrive happens within the test.
  const platform = usePlatform({ services: ["backend-api"], retryAfterSeconds: 0 });

  it("a stored strategy's backtest ends COMPLETED with metrics, a result object in S3 and a notification", async () => {
    const { submitted, final, resultObjectBytes, notification } = await backtestFlow(platform());
    expect(submitted.status).toBe("PENDING");
    expect(final).toMatchObject({ status: "COMPLETED", resultKey: expect.stringContaining(submitted.jobId) });
    expect(final.metrics).toEqual(expect.objectContaining({ trades: expect.any(Number) }));
    expect(resultObjectBytes).toBeGreaterThan(0);
    expect(notification).toContain(`"outcome":"completed"`);
  });

  it("a backtest of a strategy that cannot run ends FAILED with the reason", async () => {
    const { final } = await runBacktest(platform(), "no-such-strategy");
    expect(final.status).toBe("FAILED");
    expect(final.error ?? final.reason).toMatch(/no-such-strategy/);
  });

  it("a message no consumer can read lands in the dead-letter queue after maxReceiveCount receives", async () => {
    const { deadLettered, maxReceiveCount } = await poisonFlow(platform());
    expect(maxReceiveCount).toBeGreaterThan(1);
    expect(deadLettered).toBe(1);
  });
});
