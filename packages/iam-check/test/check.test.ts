/**
 * pnpm iam:check against a copy of the dev plan: a removed statement is a denial naming the principal,
 * action and resource; an added, unused grant is reported; explicit denies, KMS keys of encrypted topics
 * and the state machine's ASL-derived calls are evaluated by the simulator.
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { RecordedCall, RecordLine } from "@tradai/iam-recorder";
import { type CheckReport, runCheck } from "../src/check";
import { stateMachineRequests } from "../src/implied";
import { envPlan, readPlanResources } from "../src/plan-model";
import { renderReport } from "../src/report";
import type { PolicyDocument, PolicyStatement } from "../src/simulate";

const REPO_ROOT = path.resolve(__dirname, "..", "..", "..");
const JOBS_ARN = "arn:aws:dynamodb:eu-central-1:123456789012:table/tradai-dev-jobs";

let planDir: string;

beforeAll(() => {
  planDir = fs.mkdtempSync(path.join(os.tmpdir(), "iam-plan-"));
  const run = spawnSync("pnpm", ["plan", "--env", "dev", "--out", planDir], {
    cwd: REPO_ROOT,
    encoding: "utf8",
  });
  if (!fs.existsSync(path.join(planDir, "dev", "compute.json")))
    throw new Error(`pnpm plan failed: ${run.stderr}`);
}, 240_000);

/** A copy of the plan with `edit` applied to the inline policy `policyName` of the dev compute layer. */
function planCopy(policyName: string, edit: (statements: PolicyStatement[]) => PolicyStatement[]): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "iam-plan-copy-"));
  fs.cpSync(planDir, dir, { recursive: true });
  for (const layer of ["foundation", "compute"]) {
    const file = path.join(dir, "dev", `${layer}.json`);
    const plan = JSON.parse(fs.readFileSync(file, "utf8")) as {
      resources: { type: string; name: string; inputs: Record<string, unknown> }[];
    };
    for (const r of plan.resources) {
      if (r.name !== policyName) continue;
      const doc = JSON.parse(String(r.inputs.policy)) as PolicyDocument;
      const statements = Array.isArray(doc.Statement) ? doc.Statement : [doc.Statement];
      r.inputs.policy = JSON.stringify({ ...doc, Statement: edit(statements) });
    }
    fs.writeFileSync(file, JSON.stringify(plan));
  }
  return dir;
}

/** update-status reading a job, as the recorder writes it in its handler test. */
const getJob: RecordedCall = {
  kind: "call",
  principal: "function:update-status",
  signingName: "dynamodb",
  operation: "GetItem",
  input: { TableName: "tradai-test-jobs", ConsistentRead: true },
  names: { JOBS_TABLE: "tradai-test-jobs" },
};

const check = (dir: string, recordings: RecordLine[]) =>
  runCheck({ planDir: dir, envs: ["dev"], recordings });
const verdictsOf = (report: CheckReport, principal: string, action: string) =>
  report.verdicts.filter((v) => v.principal === principal && v.action === action);

describe("iam:check", () => {
  it("allows a call the planned policy grants, on the plan's table name", async () => {
    const report = await check(planDir, [getJob]);
    expect(verdictsOf(report, "function:update-status", "dynamodb:GetItem")).toEqual([
      expect.objectContaining({
        resource: JOBS_ARN,
        decision: "Allowed",
        allowedBy: ["update-status-policy/Jobs"],
      }),
    ]);
  });

  it("fails naming the function, action and resource when a statement is removed from the plan copy", async () => {
    const copy = planCopy("update-status-policy", (statements) => statements.filter((s) => s.Sid !== "Jobs"));
    const report = await check(copy, [getJob]);
    expect(verdictsOf(report, "function:update-status", "dynamodb:GetItem")[0]?.decision).toBe(
      "ImplicitlyDenied",
    );
    expect(renderReport(report)).toContain(
      `[dev] function:update-status dynamodb:GetItem ${JOBS_ARN} (would be allowed by: none)`,
    );

    // The command itself: exit 1 and the same line.
    const calls = fs.mkdtempSync(path.join(os.tmpdir(), "iam-calls-"));
    fs.writeFileSync(path.join(calls, "update-status.jsonl"), `${JSON.stringify(getJob)}\n`);
    const cli = spawnSync("pnpm", ["iam:check", "--plan", copy, "--calls", calls, "--env", "dev"], {
      cwd: REPO_ROOT,
      encoding: "utf8",
    });
    expect(cli.status).toBe(1);
    expect(cli.stdout).toContain(`function:update-status dynamodb:GetItem ${JOBS_ARN}`);
  }, 60_000);

  it("reports an added grant no recorded call needs, without failing on it", async () => {
    const copy = planCopy("update-status-policy", (statements) => [
      ...statements,
      { Sid: "UnusedGrant", Effect: "Allow", Action: "dynamodb:DeleteItem", Resource: JOBS_ARN },
    ]);
    const report = await check(copy, [getJob]);
    expect(report.unexercised).toContainEqual(
      expect.objectContaining({
        principal: "function:update-status",
        policy: "update-status-policy",
        statement: "UnusedGrant",
      }),
    );
    expect(renderReport(report)).toContain(
      "function:update-status update-status-policy/UnusedGrant [dynamodb:DeleteItem]",
    );
    expect(verdictsOf(report, "function:update-status", "dynamodb:GetItem")[0]?.decision).toBe("Allowed");
  });

  it("reports an action added to a used statement that no request needs", async () => {
    const copy = planCopy("update-status-policy", (statements) =>
      statements.map((s) =>
        s.Sid === "Jobs" ? { ...s, Action: [...[s.Action ?? []].flat(), "dynamodb:DeleteItem"] } : s,
      ),
    );
    const report = await check(copy, [getJob]);
    expect(report.unusedActions).toContainEqual(
      expect.objectContaining({
        principal: "function:update-status",
        statement: "Jobs",
        actions: expect.arrayContaining(["dynamodb:DeleteItem"]),
      }),
    );
    expect(report.unusedActions.find((u) => u.statement === "Jobs")?.actions).not.toContain(
      "dynamodb:GetItem",
    );
  });

  it("honours an explicit deny", async () => {
    const copy = planCopy("update-status-policy", (statements) => [
      ...statements,
      { Sid: "NoReads", Effect: "Deny", Action: "dynamodb:GetItem", Resource: "*" },
    ]);
    const [verdict] = verdictsOf(await check(copy, [getJob]), "function:update-status", "dynamodb:GetItem");
    expect(verdict).toMatchObject({
      decision: "ExplicitlyDenied",
      deniedBy: ["update-status-policy/NoReads"],
    });
  });

  it("needs the topic key for a publish to an encrypted topic, through the key policy", async () => {
    const publish: RecordedCall = {
      kind: "call",
      principal: "function:notify-completion",
      signingName: "sns",
      operation: "Publish",
      input: { TopicArn: "arn:aws:sns:eu-central-1:123456789012:test-alerts" },
      names: { ALERTS_TOPIC_ARN: "arn:aws:sns:eu-central-1:123456789012:test-alerts" },
    };
    const report = await check(planDir, [publish]);
    const kms = verdictsOf(report, "function:notify-completion", "kms:GenerateDataKey");
    expect(kms).toEqual([
      expect.objectContaining({
        decision: "Allowed",
        resource: expect.stringMatching(/^arn:aws:kms:eu-central-1:123456789012:key\//),
      }),
    ]);
    expect(kms[0]?.allowedBy.join()).toContain("AccountPublishesThroughSns");

    // Without the key policy's grant to publishers the same publish is denied on the key.
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "iam-plan-copy-"));
    fs.cpSync(planDir, dir, { recursive: true });
    const file = path.join(dir, "dev", "foundation.json");
    const plan = JSON.parse(fs.readFileSync(file, "utf8")) as {
      resources: { type: string; inputs: Record<string, unknown> }[];
    };
    for (const r of plan.resources) {
      if (r.type !== "aws:kms/key:Key") continue;
      const doc = JSON.parse(String(r.inputs.policy)) as { Statement: PolicyStatement[] };
      doc.Statement = doc.Statement.filter((s) => s.Sid !== "AccountPublishesThroughSns");
      r.inputs.policy = JSON.stringify(doc);
    }
    fs.writeFileSync(file, JSON.stringify(plan));
    const denied = verdictsOf(
      await check(dir, [publish]),
      "function:notify-completion",
      "kms:GenerateDataKey",
    );
    expect(denied[0]?.decision).toBe("ImplicitlyDenied");
  });

  it("derives the state machine role's calls from the ASL and fails when one is not granted", async () => {
    const ok = await check(planDir, []);
    const run = verdictsOf(ok, "states:retraining", "ecs:RunTask");
    expect(run).toEqual([expect.objectContaining({ decision: "Allowed" })]);
    expect(verdictsOf(ok, "states:retraining", "iam:PassRole").map((v) => v.decision)).toEqual([
      "Allowed",
      "Allowed",
    ]);
    expect(verdictsOf(ok, "states:retraining", "lambda:InvokeFunction").length).toBeGreaterThanOrEqual(5);

    const copy = planCopy("retraining-policy", (statements) =>
      statements.filter((s) => s.Sid !== "RunTraining"),
    );
    const denied = verdictsOf(await check(copy, []), "states:retraining", "ecs:RunTask");
    expect(denied).toEqual([
      expect.objectContaining({
        decision: "ImplicitlyDenied",
        resource: "arn:aws:ecs:eu-central-1:123456789012:task-definition/tradai-dev-training:1",
      }),
    ]);
  });

  describe("an AWS SDK integration (the MLflow rotation's ecs:updateService)", () => {
    const CLUSTER_ARN = "arn:aws:ecs:eu-central-1:123456789012:cluster/tradai-dev-cluster";
    const SERVICE_ARN = "arn:aws:ecs:eu-central-1:123456789012:service/tradai-dev-cluster/tradai-dev-mlflow";
    const ROTATION = "states:mlflow-secret-rotation";
    const devPlan = () => envPlan("dev", readPlanResources(path.join(planDir, "dev")).resources);

    it("derives the API's action on the service its Parameters name", async () => {
      const plan = devPlan();
      const machine = plan.stateMachines.get(ROTATION);
      expect(machine).toBeDefined();
      const { requests, unknown } = await stateMachineRequests(machine?.definition ?? {}, plan);
      expect(unknown).toEqual([]);
      expect(requests).toEqual([
        expect.objectContaining({
          action: "ecs:UpdateService",
          resource: SERVICE_ARN,
          impliedBy: "ASL arn:aws:states:::aws-sdk:ecs:updateService",
        }),
      ]);
    });

    it("puts a JSONPath parameter's unknown value as a wildcard and fails on an integration it cannot derive", async () => {
      const plan = devPlan();
      const definition = {
        StartAt: "Redeploy",
        States: {
          Redeploy: {
            Type: "Task",
            Resource: "arn:aws:states:::aws-sdk:ecs:updateService.waitForTaskToken",
            Parameters: { Cluster: CLUSTER_ARN, "Service.$": "$.service", ForceNewDeployment: true },
            Next: "Queue",
          },
          Queue: { Type: "Task", Resource: "arn:aws:states:::sqs:sendMessage", Parameters: {}, End: true },
        },
      };
      const { requests, unknown } = await stateMachineRequests(definition, plan);
      expect(requests.map((r) => [r.action, r.resource])).toEqual([
        ["ecs:UpdateService", "arn:aws:ecs:eu-central-1:123456789012:service/tradai-dev-cluster/*"],
      ]);
      expect(unknown).toEqual([expect.objectContaining({ state: "Queue" })]);
    });

    it("is allowed by ForceDeploy, and fails naming the state machine, action and service without it", async () => {
      const ok = await check(planDir, []);
      expect(verdictsOf(ok, ROTATION, "ecs:UpdateService")).toEqual([
        expect.objectContaining({
          resource: SERVICE_ARN,
          decision: "Allowed",
          allowedBy: ["mlflow-secret-rotation-policy/ForceDeploy"],
        }),
      ]);
      expect(ok.unexercised.map((u) => `${u.principal} ${u.statement}`)).not.toContain(
        `${ROTATION} ForceDeploy`,
      );

      const copy = planCopy("mlflow-secret-rotation-policy", (statements) =>
        statements.filter((s) => s.Sid !== "ForceDeploy"),
      );
      const denied = await check(copy, []);
      expect(verdictsOf(denied, ROTATION, "ecs:UpdateService")[0]?.decision).toBe("ImplicitlyDenied");
      const line = `[dev] ${ROTATION} ecs:UpdateService ${SERVICE_ARN} (would be allowed by: none)`;
      expect(renderReport(denied)).toContain(line);

      // The command itself: exit 1 and the same line (it refuses to run without any recording).
      const calls = fs.mkdtempSync(path.join(os.tmpdir(), "iam-calls-"));
      fs.writeFileSync(path.join(calls, "update-status.jsonl"), `${JSON.stringify(getJob)}\n`);
      const cli = spawnSync("pnpm", ["iam:check", "--plan", copy, "--calls", calls, "--env", "dev"], {
        cwd: REPO_ROOT,
        encoding: "utf8",
      });
      expect(cli.status).toBe(1);
      expect(cli.stdout).toContain(line);
    }, 60_000);
  });

  it("fails on a principal the plan deploys but no test recorded", async () => {
    const report = await check(planDir, [{ kind: "suite", principal: "function:update-status" }, getJob]);
    expect(report.uncovered).toContain("function:sqs-consumer: no test recorded as this principal");
    expect(report.uncovered.join()).not.toContain("function:update-status");
  });
});
