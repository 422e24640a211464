import * as path from "node:path";
import { jsonLines, spawnService, startEntry } from "@tradai/service-common/testing";
import { awsEnvFor, useMoto } from "@tradai/testing";

const ENTRY = path.join(__dirname, "..", "src", "main.ts");

describe("data-collection main.ts (real process)", () => {
  const moto = useMoto();

  it("starts, logs JSON, and exits 0 after SIGTERM", async () => {
    const service = await spawnService(ENTRY, { ...awsEnvFor(moto()), MARKET_DATA_BUCKET: "any-bucket" });
    expect((await fetch(`${service.url}/health`)).status).toBe(200);
    service.child.kill("SIGTERM");
    expect(await service.exited).toBe(0);
    const logs = jsonLines(service.lines());
    expect(logs).toEqual(
      expect.arrayContaining([expect.objectContaining({ service: "data-collection", reason: "SIGTERM" })]),
    );
    expect(logs.at(-1)).toMatchObject({ msg: "shut down", clean: true });
  });

  it("exits 1 naming the missing variable", async () => {
    const run = startEntry(ENTRY, awsEnvFor(moto()));
    expect(await run.exited).toBe(1);
    expect(jsonLines(run.lines())).toEqual([
      expect.objectContaining({
        level: "fatal",
        msg: expect.stringContaining("MARKET_DATA_BUCKET: is required"),
      }),
    ]);
  });
});
