import {
  CollectionRejectedError,
  CollectionUnavailableError,
  collectUrl,
  forwardCollection,
} from "../src/forward";
import { type ScriptedServer, startScriptedServer } from "./http-server";

const options = { timeoutMs: 300, maxAttempts: 3, backoffMs: 0 };
const request = { exchange: "binance", symbols: ["BTC/USDT"], timeframe: "1h" };

describe("forwardCollection", () => {
  let server: ScriptedServer;
  beforeEach(async () => {
    server = await startScriptedServer();
  });
  afterEach(async () => {
    await server.close();
  });

  it("POSTs the request as JSON to /v1/collect and returns the service's answer", async () => {
    server.script({ status: 202, json: { collectionId: "c-1", accepted: 1 } });
    const answer = await forwardCollection(server.url, request, options);
    expect(answer).toEqual({ status: 202, body: { collectionId: "c-1", accepted: 1 }, attempts: 1 });
    expect(server.received).toEqual([{ method: "POST", url: "/v1/collect", body: JSON.stringify(request) }]);
  });

  it("retries 5xx answers and a hanging attempt, then succeeds", async () => {
    server.script({ status: 503, text: "starting" }, "hang", { status: 200, json: { ok: true } });
    const answer = await forwardCollection(server.url, request, options);
    expect(answer.attempts).toBe(3);
    expect(answer.body).toEqual({ ok: true });
    expect(server.received).toHaveLength(3);
  });

  it("does not retry a 4xx and reports the service's message", async () => {
    server.script({ status: 422, json: { message: "unknown symbol FOO/BAR" } }, { status: 200, json: {} });
    const failure = forwardCollection(server.url, request, options);
    await expect(failure).rejects.toBeInstanceOf(CollectionRejectedError);
    await expect(failure).rejects.toThrow(
      "data-collection rejected the request (HTTP 422): unknown symbol FOO/BAR",
    );
    expect(server.received).toHaveLength(1);
  });

  it("gives up after maxAttempts with the last failure", async () => {
    server.script(
      { status: 500, text: "a" },
      { status: 502, text: "b" },
      { status: 503, json: { error: "c" } },
    );
    const failure = forwardCollection(server.url, request, options);
    await expect(failure).rejects.toBeInstanceOf(CollectionUnavailableError);
    await expect(failure).rejects.toThrow("unavailable after 3 attempt(s): HTTP 503: c");
    expect(server.received).toHaveLength(3);
  });

  it("reports a refused connection as unavailable", async () => {
    const url = server.url;
    await server.close();
    await expect(forwardCollection(url, request, { ...options, maxAttempts: 2 })).rejects.toThrow(
      /unavailable after 2 attempt\(s\): fetch failed \(ECONNREFUSED\)/,
    );
    server = await startScriptedServer();
  });
});

describe("collectUrl", () => {
  it("appends /v1/collect to the base path", () => {
    expect(collectUrl("http://data-collection.tradai.local:8000")).toBe(
      "http://data-collection.tradai.local:8000/v1/collect",
    );
    expect(collectUrl("http://h:1/api/")).toBe("http://h:1/api/v1/collect");
  });
});
