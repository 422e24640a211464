import * as path from "node:path";
import { jsonLines, spawnService, startEntry } from "@tradai/service-common/testing";
import { awsEnvFor, useMoto } from "@tradai/testing";

const ENTRY = path.join(__dirname, "..", "src", "main.ts");

describe("backend main.ts (real process)", () => {
  const moto = useMoto();

  it("serves, and exits 0 after SIGTERM", async () => {
    const service = await spawnService(ENTRY, {
      ...awsEnvFor(moto()),
      STRATEGIES_TABLE: "strategies",
      JOBS_TABLE: "jobs",
      BACKTEST_JOBS_QUEUE_URL: `${moto().url}/123456789012/backtest-jobs`,
      COGNITO_USER_POOL_ID: "eu-central-1_Pool1",
      COGNITO_CLIENT_IDS: "client-a,client-b",
      VALIDATE_STRATEGY_FUNCTION: "tradai-test-validate-strategy",
    });
    expect((await fetch(`${service.url}/openapi.json`)).status).toBe(200);
    expect((await fetch(`${service.url}/v1/strategies`)).status).toBe(401);
    service.child.kill("SIGTERM");
    expect(await service.exited).toBe(0);
    expect(jsonLines(service.lines()).at(-1)).toMatchObject({
      service: "backend-api",
      msg: "shut down",
      clean: true,
    });
  });

  it("exits 1 naming every missing variable", async () => {
    const run = startEntry(ENTRY, awsEnvFor(moto()));
    expect(await run.exited).toBe(1);
    const [fatal] = jsonLines(run.lines());
    for (const name of [
      "STRATEGIES_TABLE",
      "JOBS_TABLE",
      "BACKTEST_JOBS_QUEUE_URL",
      "COGNITO_USER_POOL_ID",
      "COGNITO_CLIENT_IDS",
      "VALIDATE_STRATEGY_FUNCTION",
    ]) {
      expect(fatal?.msg).toContain(`${name}: is required`);
    }
  });
});
