import { InvalidEventError, logger, metrics, sqsBatchHandler } from "../src/index";
import { lambdaContext, sqsEvent } from "../testing/index";

describe("sqsBatchHandler", () => {
  const handled: string[] = [];
  const handler = sqsBatchHandler(
    async (record) => {
      if (record.body === "invalid") throw new InvalidEventError("test message", []);
      if (record.body === "broken") throw new Error("downstream unavailable");
      handled.push(record.body);
    },
    { name: "test-consumer", failureMessage: "test message failed", failureMetric: "TestMessagesFailed" },
  );

  let logged: jest.SpyInstance;
  let counted: jest.SpyInstance;
  let published: jest.SpyInstance;
  beforeEach(() => {
    handled.length = 0;
    logged = jest.spyOn(logger, "error").mockImplementation(() => undefined);
    counted = jest.spyOn(metrics, "addMetric");
    published = jest.spyOn(metrics, "publishStoredMetrics").mockImplementation(() => metrics);
  });
  afterEach(() => jest.restoreAllMocks());

  it("reports only the failing records, logging and counting each failure once", async () => {
    const event = sqsEvent(["a", "invalid", "b", "broken"]);
    const response = await handler(event, lambdaContext("test-consumer"));

    expect(response).toEqual({
      batchItemFailures: [
        { itemIdentifier: event.Records[1]?.messageId },
        { itemIdentifier: event.Records[3]?.messageId },
      ],
    });
    expect(handled).toEqual(["a", "b"]);
    expect(logged).toHaveBeenCalledTimes(2);
    expect(logged).toHaveBeenCalledWith("test message failed", {
      messageId: event.Records[1]?.messageId,
      invalid: true,
      error: expect.any(InvalidEventError),
    });
    expect(logged).toHaveBeenCalledWith("test message failed", {
      messageId: event.Records[3]?.messageId,
      invalid: false,
      error: expect.objectContaining({ message: "downstream unavailable" }),
    });
    expect(counted.mock.calls).toEqual([
      ["TestMessagesFailed", "Count", 1],
      ["TestMessagesFailed", "Count", 1],
    ]);
    expect(published).toHaveBeenCalledTimes(1);
  });

  it("returns no failures for a clean batch and still publishes the metrics", async () => {
    await expect(handler(sqsEvent(["a"]))).resolves.toEqual({ batchItemFailures: [] });
    expect(handled).toEqual(["a"]);
    expect(logged).not.toHaveBeenCalled();
    expect(published).toHaveBeenCalledTimes(1);
  });
});
