import { CloudWatchClient, GetMetricDataCommand } from "@aws-sdk/client-cloudwatch";
import { AlertMessage } from "@tradai/contracts";
import { InvalidEventError } from "@tradai/lambda-common";
import {
  createTopicProbe,
  lambdaContext,
  scheduledEvent,
  setTestEnv,
  type TopicProbe,
} from "@tradai/lambda-common/testing";
import { useMoto } from "@tradai/testing";
import type { StackTarget } from "../src/config";
import { createHandler } from "../src/handler";
import { AutomationDriftWorkspace, type ChangeSummary, type DriftWorkspace } from "../src/workspace";

/** Stands in for the Automation API: a refresh preview result (or failure) per `layer/stack`. */
class FakeWorkspace implements DriftWorkspace {
  readonly calls: StackTarget[] = [];
  constructor(private readonly results: Record<string, ChangeSummary | Error>) {}
  async previewRefresh(target: StackTarget): Promise<ChangeSummary> {
    this.calls.push(target);
    const result = this.results[`${target.layer}/${target.stack}`];
    if (result === undefined) throw new Error(`unexpected stack ${target.layer}/${target.stack}`);
    if (result instanceof Error) throw result;
    return result;
  }
}

const STACKS = [
  { layer: "persistent", stack: "dev" },
  { layer: "foundation", stack: "dev" },
  { layer: "compute", stack: "dev" },
];

describe("pulumi-drift-detector", () => {
  useMoto();
  let restore: () => void = () => {};
  let alertsProbe: TopicProbe;
  let cloudwatch: CloudWatchClient;

  beforeAll(async () => {
    cloudwatch = new CloudWatchClient({});
    alertsProbe = await createTopicProbe("tradai-test-alerts");
    restore = setTestEnv({
      PULUMI_BACKEND_URL: "s3://tradai-test-pulumi-state",
      PULUMI_STACKS: JSON.stringify(STACKS),
      ALERTS_TOPIC_ARN: alertsProbe.topicArn,
      ENVIRONMENT: "dev",
    });
  });
  afterAll(() => {
    cloudwatch.destroy();
    restore();
  });

  async function alerts(): Promise<AlertMessage[]> {
    return (await alertsProbe.received()).map((m) => AlertMessage.parse(m));
  }

  async function metric(name: string, layer: string): Promise<number[]> {
    const now = Date.now();
    const out = await cloudwatch.send(
      new GetMetricDataCommand({
        StartTime: new Date(now - 3_600_000),
        EndTime: new Date(now + 60_000),
        MetricDataQueries: [
          {
            Id: "m",
            MetricStat: {
              Metric: {
                Namespace: "TradAI",
                MetricName: name,
                Dimensions: [
                  { Name: "Layer", Value: layer },
                  { Name: "Stack", Value: "dev" },
                ],
              },
              Period: 60,
              Stat: "Sum",
            },
          },
        ],
      }),
    );
    return out.MetricDataResults?.[0]?.Values ?? [];
  }

  it("reports drift per stack, puts StackDrift for each and alerts once about the drifted ones", async () => {
    const workspace = new FakeWorkspace({
      "persistent/dev": { same: 40 },
      "foundation/dev": { same: 55, update: 2, delete: 1 },
      "compute/dev": { same: 120, update: 0 },
    });
    const report = await createHandler(() => workspace)(
      scheduledEvent(new Date()),
      lambdaContext("pulumi-drift-detector"),
    );

    expect(workspace.calls.map((c) => c.project)).toEqual([
      "tradai-persistent",
      "tradai-foundation",
      "tradai-compute",
    ]);
    expect(report.stacks.map((s) => [s.layer, s.status, s.changed])).toEqual([
      ["persistent", "in-sync", 0],
      ["foundation", "drifted", 3],
      ["compute", "in-sync", 0],
    ]);
    expect(report.stacks[1]?.changes).toEqual({ update: 2, delete: 1 });
    expect(report).toMatchObject({ drifted: 1, failed: 0 });

    expect(await metric("StackDrift", "foundation")).toEqual([3]);
    expect(await metric("StackDrift", "persistent")).toEqual([0]);
    expect(await metric("StackDrift", "compute")).toEqual([0]);

    const received = await alerts();
    expect(received).toHaveLength(1);
    expect(received[0]).toMatchObject({
      severity: "warning",
      source: "pulumi-drift-detector",
      environment: "dev",
      title: "Infrastructure drift in foundation/dev",
    });
    expect(received[0]?.message).toContain(
      "foundation/dev: 3 resource(s) differ from state (update 2, delete 1)",
    );
  });

  it("keeps checking after a stack fails, and alerts about the failure", async () => {
    const workspace = new FakeWorkspace({
      "persistent/dev": { same: 40 },
      "foundation/dev": new Error("error: failed to decrypt: AccessDeniedException"),
      "compute/dev": { same: 120 },
    });
    const report = await createHandler(() => workspace)(scheduledEvent(new Date()));

    expect(workspace.calls).toHaveLength(3);
    expect(report).toMatchObject({ drifted: 0, failed: 1 });
    expect(report.stacks[1]).toMatchObject({
      layer: "foundation",
      status: "error",
      error: "error: failed to decrypt: AccessDeniedException",
    });
    expect(await metric("StackDriftCheckFailed", "foundation")).toEqual([1]);
    const received = await alerts();
    expect(received.map((a) => a.title)).toEqual(["Drift check failed for foundation/dev"]);
  });

  it("does not alert when every stack is in sync", async () => {
    const workspace = new FakeWorkspace({
      "persistent/dev": { same: 1 },
      "foundation/dev": { same: 2 },
      "compute/dev": { same: 3 },
    });
    const report = await createHandler(() => workspace)(scheduledEvent(new Date()));
    expect(report.alertMessageId).toBeUndefined();
    expect(await alerts()).toEqual([]);
  });

  it("rejects an event that is not a scheduled event, checking nothing", async () => {
    const workspace = new FakeWorkspace({});
    await expect(createHandler(() => workspace)({ source: "aws.s3" })).rejects.toThrow(InvalidEventError);
    expect(workspace.calls).toEqual([]);
  });

  it("reports a clear error from the Automation API workspace when the Pulumi CLI is missing", async () => {
    const workspace = new AutomationDriftWorkspace({
      backendUrl: "s3://tradai-test-pulumi-state",
      cliRoot: "/nonexistent/pulumi",
    });
    const report = await createHandler(() => workspace)(scheduledEvent(new Date()));
    expect(report.failed).toBe(3);
    expect(report.stacks[0]?.error).toMatch(/nonexistent\/pulumi\/bin\/pulumi/);
    expect((await alerts()).map((a) => a.title)).toEqual([
      "Drift check failed for persistent/dev, foundation/dev, compute/dev",
    ]);
  });
});
