import { ConfigError } from "@tradai/contracts";
import { loadConfig } from "../src/config";

describe("data-collection config", () => {
  it("requires the bucket and rejects a bad page limit, naming both variables", () => {
    expect(() => loadConfig({ EXCHANGE_PAGE_LIMIT: "5000" })).toThrow(ConfigError);
    try {
      loadConfig({ EXCHANGE_PAGE_LIMIT: "5000" });
    } catch (error) {
      const problems = (error as ConfigError).problems.map((p) => `${p.key}: ${p.message}`);
      expect(problems).toEqual([
        expect.stringMatching(/^MARKET_DATA_BUCKET: is required/),
        expect.stringMatching(/^EXCHANGE_PAGE_LIMIT: /),
      ]);
    }
  });

  it("defaults to the public Binance API on port 8080", () => {
    expect(loadConfig({ MARKET_DATA_BUCKET: "b" })).toMatchObject({
      PORT: 8080,
      BINANCE_BASE_URL: "https://api.binance.com",
      EXCHANGE_PAGE_LIMIT: 1000,
    });
  });
});
