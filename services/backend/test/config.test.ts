/** The backend's token settings: what compute sets them to must be a combination the verifier can honour. */
import { ConfigError } from "@tradai/contracts";
import { loadConfig } from "../src/config";

const base = {
  STRATEGIES_TABLE: "strategies",
  JOBS_TABLE: "jobs",
  BACKTEST_JOBS_QUEUE_URL: "https://sqs.eu-central-1.amazonaws.com/123456789012/jobs",
  COGNITO_USER_POOL_ID: "eu-central-1_Pool1",
  COGNITO_CLIENT_IDS: "client-a",
  VALIDATE_STRATEGY_FUNCTION: "tradai-dev-validate-strategy",
};

describe("backend token settings", () => {
  it("reads the token use and the required scopes (comma list)", () => {
    const config = loadConfig({
      ...base,
      COGNITO_TOKEN_USE: "access",
      COGNITO_REQUIRED_SCOPES: "tradai-api/v1, tradai-api/admin",
    });
    expect([config.COGNITO_TOKEN_USE, config.COGNITO_REQUIRED_SCOPES]).toEqual([
      "access",
      ["tradai-api/v1", "tradai-api/admin"],
    ]);
  });

  it("defaults to access tokens without a scope requirement", () => {
    const config = loadConfig(base);
    expect([config.COGNITO_TOKEN_USE, config.COGNITO_REQUIRED_SCOPES]).toEqual(["access", []]);
  });

  it("refuses scopes with ID tokens, which carry none, naming the variable", () => {
    const load = () =>
      loadConfig({ ...base, COGNITO_TOKEN_USE: "id", COGNITO_REQUIRED_SCOPES: "tradai-api/v1" });
    expect(load).toThrow(ConfigError);
    expect(load).toThrow("COGNITO_REQUIRED_SCOPES: scopes can only be required of access tokens");
  });
});
