import { InvalidEventError, MlflowClient, MlflowError, ModelDeploymentStore } from "@tradai/lambda-common";
import { lambdaContext, setTestEnv, useChampionMoverFixture } from "@tradai/lambda-common/testing";
import { seedModelVersion, uniqueModelName, useMlflow, useMoto } from "@tradai/testing";
import { handler } from "../src/handler";

const DEPLOYMENTS = "tradai-test-model-deployments";
const IDEMPOTENCY = "tradai-test-idempotency";

describe("promote-model", () => {
  useMoto();
  const mlflow = useMlflow();
  const scan = useChampionMoverFixture(() => mlflow().url, {
    deployments: DEPLOYMENTS,
    idempotency: IDEMPOTENCY,
  });
  const registry = () => new MlflowClient({ baseUrl: mlflow().url });
  const context = () => lambdaContext("promote-model");

  const deploymentsOf = async (modelName: string) =>
    (await scan(DEPLOYMENTS)).filter((i) => i.modelName === modelName);

  it("promotes the first candidate of a model: alias set, deployment recorded without previous version", async () => {
    const modelName = uniqueModelName("promote");
    const { version } = await seedModelVersion(mlflow().url, { modelName, aliases: ["candidate"] });

    const result = await handler({ jobId: "job-1", modelName, candidateVersion: version }, context());

    expect(result).toEqual({ modelName, version: "1", previousVersion: null });
    const champion = await registry().getModelVersionByAlias(modelName, "champion");
    expect(champion?.version).toBe("1");
    expect(champion?.tags["tradai.promoted_by_job"]).toBe("job-1");
    // Promoted, so no longer a candidate awaiting a decision.
    expect(champion?.aliases).toEqual(["champion"]);
    expect(await registry().getModelVersionByAlias(modelName, "candidate")).toBeNull();
    const records = await deploymentsOf(modelName);
    expect(records).toEqual([
      {
        modelName,
        deployedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
        version: "1",
        previousVersion: null,
        jobId: "job-1",
        action: "promote",
      },
    ]);
  });

  it("records the replaced champion, and a retried invocation neither re-runs nor records twice", async () => {
    const modelName = uniqueModelName("promote");
    await seedModelVersion(mlflow().url, { modelName, aliases: ["champion"] });
    const { version } = await seedModelVersion(mlflow().url, { modelName, aliases: ["candidate"] });
    const event = { jobId: "job-2", modelName, candidateVersion: version };

    const first = await handler(event, context());
    expect(first).toEqual({ modelName, version: "2", previousVersion: "1" });
    // Someone moves the alias back by hand; a retry of the same step must return the stored result and
    // must not promote (or record) again.
    await registry().setAlias(modelName, "champion", "1");
    const retried = await handler(event, context());
    expect(retried).toEqual(first);
    expect((await registry().getModelVersionByAlias(modelName, "champion"))?.version).toBe("1");
    expect(await deploymentsOf(modelName)).toHaveLength(1);

    const idempotency = await scan(IDEMPOTENCY);
    expect(idempotency.filter((i) => String(i.id).startsWith("promote-model#"))).not.toHaveLength(0);
    expect(idempotency.every((i) => i.status === "COMPLETED")).toBe(true);

    // The same job asking for another version is a mistake, not a retry.
    await expect(handler({ ...event, candidateVersion: "1" }, context())).rejects.toThrow(
      /Payload does not match stored record/,
    );
  });

  it("leaves the candidate alias on a newer candidate registered since", async () => {
    const modelName = uniqueModelName("promote");
    await seedModelVersion(mlflow().url, { modelName, aliases: ["champion"] });
    await seedModelVersion(mlflow().url, { modelName });
    await seedModelVersion(mlflow().url, { modelName, aliases: ["candidate"] });

    await handler({ jobId: "job-6", modelName, candidateVersion: "2" }, context());

    expect((await registry().getModelVersionByAlias(modelName, "champion"))?.version).toBe("2");
    expect((await registry().getModelVersionByAlias(modelName, "candidate"))?.version).toBe("3");
  });

  it("finishes a promotion that died after recording it, without a second record", async () => {
    const modelName = uniqueModelName("promote");
    await seedModelVersion(mlflow().url, { modelName, aliases: ["champion"] });
    const { version } = await seedModelVersion(mlflow().url, { modelName, aliases: ["candidate"] });
    // The first attempt wrote the record, then crashed before moving the alias (and before Powertools
    // stored a result).
    await new ModelDeploymentStore({ tableName: DEPLOYMENTS }).record({
      modelName,
      version,
      previousVersion: "1",
      jobId: "job-3",
      action: "promote",
    });

    const result = await handler({ jobId: "job-3", modelName, candidateVersion: version }, context());

    expect(result).toEqual({ modelName, version: "2", previousVersion: "1" });
    expect((await registry().getModelVersionByAlias(modelName, "champion"))?.version).toBe("2");
    expect(await deploymentsOf(modelName)).toHaveLength(1);
  });

  it("fails with the MLflow error and records nothing when the tracking server is unreachable", async () => {
    const modelName = uniqueModelName("promote");
    const undo = setTestEnv({ MLFLOW_TRACKING_URI: "http://127.0.0.1:1" });
    try {
      const error = await handler({ jobId: "job-6", modelName, candidateVersion: "1" }, context()).catch(
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(MlflowError);
    } finally {
      undo();
    }
    expect(await deploymentsOf(modelName)).toEqual([]);
  });

  it("refuses an unknown version and a bad input, writing nothing", async () => {
    const modelName = uniqueModelName("promote");
    await seedModelVersion(mlflow().url, { modelName, aliases: ["champion"] });

    await expect(handler({ jobId: "job-4", modelName, candidateVersion: "7" }, context())).rejects.toThrow(
      `model ${modelName} has no version 7 to promote`,
    );
    await expect(handler({ jobId: "job-5", modelName }, context())).rejects.toThrow(InvalidEventError);

    expect(await deploymentsOf(modelName)).toEqual([]);
    expect((await registry().getModelVersionByAlias(modelName, "champion"))?.version).toBe("1");
    // A failed run leaves no idempotency record behind, so the workflow's retry really retries.
    const idempotency = await scan(IDEMPOTENCY);
    expect(idempotency.filter((i) => i.status !== "COMPLETED")).toEqual([]);
  });
});
