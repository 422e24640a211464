import { lambdaHandler, logger, metrics } from "../src/index";
import { lambdaContext } from "../testing/index";

describe("lambdaHandler", () => {
  let logged: jest.SpyInstance;
  let published: jest.SpyInstance;
  beforeEach(() => {
    logged = jest.spyOn(logger, "error").mockImplementation(() => undefined);
    published = jest.spyOn(metrics, "publishStoredMetrics").mockImplementation(() => metrics);
  });
  afterEach(() => jest.restoreAllMocks());

  it("gives the logger the invocation's context and returns the body's result", async () => {
    const added = jest.spyOn(logger, "addContext");
    const context = lambdaContext("shape-test");
    const handler = lambdaHandler("shape-test", async (event, ctx) => ({
      event,
      requestId: ctx?.awsRequestId,
    }));

    await expect(handler({ a: 1 }, context)).resolves.toEqual({
      event: { a: 1 },
      requestId: context.awsRequestId,
    });
    expect(added).toHaveBeenCalledWith(context);
    expect(logged).not.toHaveBeenCalled();
    expect(published).not.toHaveBeenCalled();
  });

  it("logs a failure once as '<name> failed' with the error and rethrows the same error", async () => {
    const failure = new RangeError("boom");
    const handler = lambdaHandler("shape-test", async () => {
      throw failure;
    });

    await expect(handler({})).rejects.toBe(failure);
    expect(logged).toHaveBeenCalledTimes(1);
    expect(logged).toHaveBeenCalledWith("shape-test failed", { error: failure });
  });

  it("drops keys appended during an invocation before the next one", async () => {
    const lines: string[] = [];
    jest.spyOn(process.stdout, "write").mockImplementation((chunk: string | Uint8Array) => {
      lines.push(String(chunk));
      return true;
    });
    logger.setLogLevel("INFO");
    const handler = lambdaHandler("shape-test", async (event) => {
      if (event === "first") logger.appendKeys({ jobId: "job-1" });
      logger.info(`invocation ${String(event)}`);
    });

    await handler("first");
    await handler("second");
    const logs = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(logs.find((l) => l.message === "invocation first")).toMatchObject({ jobId: "job-1" });
    expect(logs.find((l) => l.message === "invocation second")).not.toHaveProperty("jobId");
  });

  it("publishes stored metrics after success and after failure when asked to", async () => {
    const ok = lambdaHandler("shape-test", async () => "ok", { publishMetrics: true });
    const failing = lambdaHandler(
      "shape-test",
      async () => {
        throw new Error("boom");
      },
      { publishMetrics: true },
    );

    await ok({});
    await expect(failing({})).rejects.toThrow("boom");
    expect(published).toHaveBeenCalledTimes(2);
  });
});
