/**
 * Flow 2 on the dev plan: retraining-scheduler -> the plan's state machine (its ASL, run by the local
 * interpreter) -> check-retraining-needed -> training task (strategy-service in training mode) registers
 * a candidate in MLflow (artifacts in the emulator's S3) -> compare-models -> promote-model moves the
 * champion alias -> notify-completion; then model-rollback restores the previous champion.
 */
import { retrainingFlow } from "./flows";
import { usePlatform } from "./harness";

jest.setTimeout(420_000);

describe("flow 2: retraining through the planned state machine", () => {
  const platform = usePlatform({ services: ["mlflow"] });

  it("promotes the trained candidate, notifies, and a rollback restores the previous champion", async () => {
    const flow = await retrainingFlow(platform());
    expect(flow.scheduled.results).toEqual([
      expect.objectContaining({ modelName: flow.modelName, outcome: "started" }),
    ]);
    expect(flow.execution).toMatchObject({ status: "SUCCEEDED" });
    expect(flow.execution.states).toEqual([
      "MarkRunning",
      "CheckRetrainingNeeded",
      "Train",
      "CompareModels",
      "PromoteModel",
      "MarkPromoted",
      "NotifyPromoted",
    ]);
    expect(flow.promotedChampion).not.toBe(flow.previous.version);
    expect(flow.notification).toContain("promoted");
    expect(flow.restoredChampion).toBe(flow.previous.version);
  });
});
