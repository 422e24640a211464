import { seedModelVersion, uniqueModelName, useMlflow } from "@tradai/testing";
import { MlflowClient, MlflowError } from "../src/mlflow";

describe("MlflowClient against a real MLflow tracking server", () => {
  const mlflow = useMlflow();
  const client = () => new MlflowClient({ baseUrl: `${mlflow().url}/` });

  it("reads a registered model with its aliases, and null for an unknown model", async () => {
    const name = uniqueModelName();
    const v1 = await seedModelVersion(mlflow().url, { modelName: name, aliases: ["champion"] });
    const v2 = await seedModelVersion(mlflow().url, { modelName: name, aliases: ["candidate"] });

    const model = await client().getRegisteredModel(name);
    expect(model?.name).toBe(name);
    expect(model?.aliases).toEqual({ champion: v1.version, candidate: v2.version });
    expect(await client().getRegisteredModel(uniqueModelName("missing"))).toBeNull();
  });

  it("resolves aliases to versions with their run, and moves and deletes aliases", async () => {
    const name = uniqueModelName();
    const v1 = await seedModelVersion(mlflow().url, {
      modelName: name,
      aliases: ["champion"],
      tags: { drift_score: "0.12" },
    });
    const v2 = await seedModelVersion(mlflow().url, { modelName: name });

    const champion = await client().getModelVersionByAlias(name, "champion");
    expect(champion).toMatchObject({ name, version: v1.version, runId: v1.runId, aliases: ["champion"] });
    expect(champion?.tags).toEqual({ drift_score: "0.12" });
    expect(champion?.creationTimestamp).toBeGreaterThan(Date.parse("2020-01-01"));

    await client().setAlias(name, "champion", v2.version);
    expect((await client().getModelVersionByAlias(name, "champion"))?.version).toBe(v2.version);

    await client().deleteAlias(name, "champion");
    expect(await client().getModelVersionByAlias(name, "champion")).toBeNull();
    expect(await client().getModelVersionByAlias(uniqueModelName("missing"), "champion")).toBeNull();
  });

  it("reads run metrics (the latest value per key) and tags versions", async () => {
    const name = uniqueModelName();
    const seeded = await seedModelVersion(mlflow().url, {
      modelName: name,
      metrics: { sharpe: 1.25, max_drawdown: 0.18 },
    });
    const run = await client().getRun(seeded.runId);
    expect(run.runId).toBe(seeded.runId);
    expect(run.metrics).toEqual({ sharpe: 1.25, max_drawdown: 0.18 });

    await client().setModelVersionTag(name, seeded.version, "promoted_by", "job-1");
    expect((await client().getModelVersion(name, seeded.version))?.tags).toEqual({ promoted_by: "job-1" });
    expect(await client().getModelVersion(name, "99")).toBeNull();
  });

  it("searches versions of one model across pages", async () => {
    const name = uniqueModelName();
    for (let i = 0; i < 3; i += 1) await seedModelVersion(mlflow().url, { modelName: name });
    await seedModelVersion(mlflow().url, { modelName: uniqueModelName("other") });

    const versions = await client().searchModelVersions({ filter: `name='${name}'`, pageSize: 2 });
    expect(versions.map((v) => v.version).sort()).toEqual(["1", "2", "3"]);
    const firstTwo = await client().searchModelVersions({ filter: `name='${name}'`, limit: 2 });
    expect(firstTwo).toHaveLength(2);
  });

  it("reports HTTP status and MLflow error_code on failures", async () => {
    const error = await client()
      .getRun("0123456789abcdef0123456789abcdef")
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MlflowError);
    expect(error).toMatchObject({ status: 404, errorCode: "RESOURCE_DOES_NOT_EXIST", notFound: true });
    expect((error as Error).message).toMatch(/GET runs\/get failed with HTTP 404 RESOURCE_DOES_NOT_EXIST/);

    const badAlias = await client()
      .setAlias(uniqueModelName("missing"), "champion", "1")
      .catch((e: unknown) => e);
    expect(badAlias).toBeInstanceOf(MlflowError);
    expect((badAlias as MlflowError).status).toBeGreaterThanOrEqual(400);
    expect((badAlias as MlflowError).errorCode).toBeDefined();
  });

  it("reports an unreachable server with status 0", async () => {
    const down = new MlflowClient({ baseUrl: "http://127.0.0.1:1", timeoutMs: 2000 });
    const error = await down.getRegisteredModel("x").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MlflowError);
    expect(error).toMatchObject({ status: 0, errorCode: undefined });
    expect((error as Error).message).toMatch(/GET registered-models\/get at http:\/\/127\.0\.0\.1:1 failed/);
  });
});
