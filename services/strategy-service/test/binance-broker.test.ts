import { createHmac } from "node:crypto";
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import { createLogger } from "@tradai/service-common";
import { BinanceSpotBroker } from "../src/modes/binance-broker";

interface Received {
  method: string;
  path: string;
  apiKey: string | undefined;
  params: URLSearchParams;
  signedPayload: string;
}

describe("BinanceSpotBroker (live orders)", () => {
  let server: http.Server;
  let url: string;
  const received: Received[] = [];
  let reject = false;

  beforeAll(async () => {
    server = http.createServer((req, res) => {
      let body = "";
      req.on("data", (chunk: Buffer) => {
        body += chunk.toString();
      });
      req.on("end", () => {
        const params = new URLSearchParams(body);
        const signedPayload = body.replace(/&signature=[0-9a-f]+$/, "");
        received.push({
          method: req.method ?? "",
          path: req.url ?? "",
          apiKey: req.headers["x-mbx-apikey"] as string | undefined,
          params,
          signedPayload,
        });
        if (reject) {
          res
            .writeHead(400, { "content-type": "application/json" })
            .end(JSON.stringify({ code: -2010, msg: "Account has insufficient balance" }));
          return;
        }
        const side = params.get("side");
        res.writeHead(200, { "content-type": "application/json" }).end(
          JSON.stringify({
            orderId: received.length,
            status: "FILLED",
            executedQty: side === "BUY" ? "0.00120000" : params.get("quantity"),
          }),
        );
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const broker = () =>
    new BinanceSpotBroker({
      baseUrl: url,
      credentials: { apiKey: "key-1", apiSecret: "secret-1" },
      symbol: "BTC/USDT",
      quoteAmount: 50,
      log: createLogger("test", "silent"),
      now: () => 1_700_000_000_000,
    });

  it("buys with the quote amount, sells the filled quantity, and signs every order", async () => {
    received.length = 0;
    const b = broker();
    expect(await b.apply(1, 41_000, 0)).toBe(1);
    expect(await b.apply(1, 41_500, 0)).toBe(1); // already long: no order
    expect(await b.apply(0, 42_000, 0)).toBe(0);
    expect(await b.apply(0, 42_000, 0)).toBe(0); // already flat: no order
    expect(received.map((r) => [r.method, r.path, r.params.get("side")])).toEqual([
      ["POST", "/api/v3/order", "BUY"],
      ["POST", "/api/v3/order", "SELL"],
    ]);
    const [buy, sell] = received;
    expect(buy?.params.get("quoteOrderQty")).toBe("50");
    expect(buy?.params.get("symbol")).toBe("BTCUSDT");
    expect(buy?.params.get("type")).toBe("MARKET");
    expect(sell?.params.get("quantity")).toBe("0.00120000");
    for (const r of received) {
      expect(r.apiKey).toBe("key-1");
      expect(r.params.get("signature")).toBe(
        createHmac("sha256", "secret-1").update(r.signedPayload).digest("hex"),
      );
      expect(r.params.get("timestamp")).toBe("1700000000000");
    }
  });

  it("keeps the position unchanged when the exchange rejects the order", async () => {
    reject = true;
    const b = broker();
    await expect(b.apply(1, 41_000, 0)).rejects.toThrow(/insufficient balance/);
    expect(b.openPositions()).toBe(0);
    reject = false;
  });
});
