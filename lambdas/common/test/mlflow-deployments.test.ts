import type { ModelDeployment } from "@tradai/contracts";
import { useMoto } from "@tradai/testing";
import { resetClients } from "../src";
import { championStack, ModelDeploymentStore } from "../src/mlflow";
import { createModelDeploymentsTable } from "../testing";

const TABLE = "tradai-test-model-deployments";

describe("ModelDeploymentStore in the emulator", () => {
  useMoto();
  beforeAll(async () => {
    resetClients();
    await createModelDeploymentsTable(TABLE);
  });

  it("appends records and reads a model's history oldest first, without other models", async () => {
    let clock = Date.parse("2026-03-01T10:00:00.000Z");
    const store = new ModelDeploymentStore({ tableName: TABLE, now: () => new Date(clock) });
    await store.record({
      modelName: "alpha",
      version: "1",
      previousVersion: null,
      jobId: "j1",
      action: "promote",
    });
    clock += 60_000;
    await store.record({
      modelName: "alpha",
      version: "2",
      previousVersion: "1",
      jobId: "j2",
      action: "promote",
    });
    await store.record({
      modelName: "beta",
      version: "7",
      previousVersion: null,
      jobId: "j3",
      action: "promote",
    });

    const history = await store.history("alpha");
    expect(history).toEqual([
      {
        modelName: "alpha",
        deployedAt: "2026-03-01T10:00:00.000Z",
        version: "1",
        previousVersion: null,
        jobId: "j1",
        action: "promote",
      },
      {
        modelName: "alpha",
        deployedAt: "2026-03-01T10:01:00.000Z",
        version: "2",
        previousVersion: "1",
        jobId: "j2",
        action: "promote",
      },
    ]);
    expect(await store.findByJob("alpha", "j2", "promote")).toMatchObject({ version: "2" });
    expect(await store.findByJob("alpha", "j2", "rollback")).toBeUndefined();
    expect(await store.history("nobody")).toEqual([]);
  });

  it("never overwrites a record written in the same millisecond", async () => {
    const fixed = new Date("2026-04-01T00:00:00.000Z");
    const store = new ModelDeploymentStore({ tableName: TABLE, now: () => fixed });
    const written = await Promise.all(
      ["1", "2", "3"].map((version) =>
        store.record({
          modelName: "gamma",
          version,
          previousVersion: null,
          jobId: `j${version}`,
          action: "promote",
        }),
      ),
    );
    expect(new Set(written.map((w) => w.deployedAt)).size).toBe(3);
    expect((await store.history("gamma")).map((d) => d.version).sort()).toEqual(["1", "2", "3"]);
  });
});

describe("championStack", () => {
  const d = (
    action: ModelDeployment["action"],
    version: string,
    previousVersion: string | null,
  ): ModelDeployment => ({
    modelName: "m",
    deployedAt: "2026-01-01T00:00:00.000Z",
    version,
    previousVersion,
    jobId: "j",
    action,
  });

  it("pushes promotions and pops rollbacks, so rollbacks walk back one promotion each", () => {
    const history = [d("promote", "1", null), d("promote", "2", "1"), d("promote", "3", "2")];
    expect(championStack(history)).toEqual(["1", "2", "3"]);
    expect(championStack([...history, d("rollback", "2", "3")])).toEqual(["1", "2"]);
    expect(championStack([...history, d("rollback", "2", "3"), d("rollback", "1", "2")])).toEqual(["1"]);
  });

  it("seeds the stack from the first record's previous version", () => {
    expect(championStack([d("promote", "5", "4")])).toEqual(["4", "5"]);
    expect(championStack([])).toEqual([]);
  });
});
