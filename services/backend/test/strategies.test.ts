import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { SQSClient } from "@aws-sdk/client-sqs";
import { TEST_REGION, useMoto } from "@tradai/testing";
import { smaStrategy } from "./fixtures";
import { type Backend, client, createResources, startBackend, VALIDATE_STRATEGY_FUNCTION } from "./harness";
import { accessToken, makeKey } from "./tokens";

describe("backend /v1/strategies", () => {
  const moto = useMoto();
  const key = makeKey("k");
  let backend: Backend;
  let call: ReturnType<typeof client>;

  beforeAll(async () => {
    expect(moto().url).toBeTruthy();
    const resources = await createResources(
      new DynamoDBClient({ region: TEST_REGION }),
      new SQSClient({ region: TEST_REGION }),
      "strategies",
    );
    backend = await startBackend({ ...resources, key });
    call = client(backend.url, accessToken(key, { sub: "author-1" }));
  });
  afterAll(async () => {
    await backend?.app.close();
  });

  it("creates, reads, lists, updates with optimistic concurrency and deletes", async () => {
    const created = await call("POST", "/v1/strategies", smaStrategy());
    expect(created.status).toBe(201);
    expect(created.headers.get("location")).toBe("/v1/strategies/sma-crossover");
    expect(created.body).toMatchObject({
      strategyId: "sma-crossover",
      version: 1,
      createdBy: "author-1",
      definition: { version: "1.0.0" },
    });

    expect((await call("POST", "/v1/strategies", smaStrategy())).status).toBe(409);

    const read = await call("GET", "/v1/strategies/sma-crossover");
    expect(read.status).toBe(200);
    expect(read.body).toEqual(created.body);

    await call("POST", "/v1/strategies", smaStrategy({ id: "second", name: "Second" }));
    const page1 = await call("GET", "/v1/strategies?limit=1");
    expect(page1.body.items).toHaveLength(1);
    expect(typeof page1.body.nextToken).toBe("string");
    const page2 = await call("GET", `/v1/strategies?limit=1&nextToken=${page1.body.nextToken as string}`);
    const ids = [
      ...(page1.body.items as { strategyId: string }[]),
      ...(page2.body.items as { strategyId: string }[]),
    ].map((i) => i.strategyId);
    expect(ids.sort()).toEqual(["second", "sma-crossover"]);

    const updated = await call("PUT", "/v1/strategies/sma-crossover", smaStrategy({ version: "1.1.0" }), {
      "if-match": "1",
    });
    expect(updated.status).toBe(200);
    expect(updated.body).toMatchObject({
      version: 2,
      updatedBy: "author-1",
      definition: { version: "1.1.0" },
    });
    // A writer holding the old version loses instead of overwriting.
    const stale = await call("PUT", "/v1/strategies/sma-crossover", smaStrategy({ version: "9.9.9" }), {
      "if-match": "1",
    });
    expect(stale.status).toBe(409);
    expect((await call("GET", "/v1/strategies/sma-crossover")).body).toMatchObject({
      version: 2,
      definition: { version: "1.1.0" },
    });

    expect((await call("DELETE", "/v1/strategies/sma-crossover")).status).toBe(204);
    expect((await call("GET", "/v1/strategies/sma-crossover")).status).toBe(404);
    expect((await call("DELETE", "/v1/strategies/sma-crossover")).status).toBe(404);
    expect((await call("PUT", "/v1/strategies/sma-crossover", smaStrategy())).status).toBe(404);
  });

  it("answers 400 listing every failing field (schema and cross-field constraints) and stores nothing", async () => {
    const bad = smaStrategy({
      id: "Bad Id",
      timeframe: "7m",
      position: { sizePct: 0.5 },
      risk: { stopLossPct: 0.1, takeProfitPct: 0.05, maxPositionPct: 0.2, maxOpenPositions: 1 },
      entry: [{ left: { indicator: "missing" }, op: ">", right: { value: 1 } }],
    });
    const response = await call("POST", "/v1/strategies", bad);
    expect(response.status).toBe(400);
    const fields = (response.body.fields as { field: string }[]).map((f) => f.field);
    expect(fields).toEqual(
      expect.arrayContaining([
        "body.id",
        "body.timeframe",
        "body.risk.stopLossPct",
        "body.position.sizePct",
        "body.entry.0.left.indicator",
      ]),
    );
    expect((await call("GET", "/v1/strategies")).body.items).not.toContainEqual(
      expect.objectContaining({ strategyId: "Bad Id" }),
    );
    // The errors are validate-strategy's: the backend invoked the function with the body.
    expect(backend.lambdas.invocations[VALIDATE_STRATEGY_FUNCTION]).toContainEqual(bad);
  });

  it("every stored or replaced strategy goes through validate-strategy", async () => {
    const before = backend.lambdas.invocations[VALIDATE_STRATEGY_FUNCTION]?.length ?? 0;
    await call("POST", "/v1/strategies", smaStrategy({ id: "checked" }));
    await call("PUT", "/v1/strategies/checked", smaStrategy({ id: "checked", version: "1.0.1" }));
    expect(backend.lambdas.invocations[VALIDATE_STRATEGY_FUNCTION]?.slice(before)).toEqual([
      smaStrategy({ id: "checked" }),
      smaStrategy({ id: "checked", version: "1.0.1" }),
    ]);
  });

  it("answers 502 and stores nothing when validate-strategy fails", async () => {
    const resources = await createResources(
      new DynamoDBClient({ region: TEST_REGION }),
      new SQSClient({ region: TEST_REGION }),
      "strategies-broken",
    );
    const broken = await startBackend({
      ...resources,
      key,
      validateStrategy: async () => {
        throw new Error("out of memory");
      },
    });
    try {
      const brokenCall = client(broken.url, accessToken(key, { sub: "author-1" }));
      const response = await brokenCall("POST", "/v1/strategies", smaStrategy({ id: "unchecked" }));
      expect(response.status).toBe(502);
      expect(response.body.error).toMatch(/strategy validation failed \(Unhandled\): .*out of memory/);
      expect((await brokenCall("GET", "/v1/strategies/unchecked")).status).toBe(404);
    } finally {
      await broken.app.close();
    }
  });

  it("rejects a body whose id differs from the path", async () => {
    await call("POST", "/v1/strategies", smaStrategy({ id: "third" }));
    const response = await call("PUT", "/v1/strategies/third", smaStrategy({ id: "fourth" }));
    expect(response.status).toBe(400);
    expect(response.body.fields).toEqual([{ field: "body.id", message: "must equal the path id third" }]);
  });
});
