import { gzipSync } from "node:zlib";
import {
  CreateClusterCommand,
  ECSClient,
  RegisterTaskDefinitionCommand,
  RunTaskCommand,
} from "@aws-sdk/client-ecs";
import { CreateBucketCommand, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { CreateTopicCommand, SNSClient } from "@aws-sdk/client-sns";
import { CreateQueueCommand, GetQueueAttributesCommand, SQSClient } from "@aws-sdk/client-sqs";
import { InvalidEventError, logger, resetClients, resetEnvCache } from "@tradai/lambda-common";
import {
  createTopicProbe,
  metricMaxima,
  scheduledEvent,
  type TopicProbe,
} from "@tradai/lambda-common/testing";
import { TEST_REGION, useMoto } from "@tradai/testing";
import { handler } from "../src/handler";

const STATE_BUCKET = "tradai-test-pulumi-state";

const scheduled = scheduledEvent(new Date("2026-03-01T04:00:00Z"), "tradai-test-orphan-scanner");

const tags = { Project: "tradai", Environment: "test", ManagedBy: "pulumi" };

/** A checkpoint as `pulumi stack export` writes it, with the given resources. */
function checkpoint(
  project: string,
  stack: string,
  resources: { type: string; name: string; id: string; outputs: Record<string, unknown> }[],
) {
  return JSON.stringify({
    version: 3,
    checkpoint: {
      stack: `organization/${project}/${stack}`,
      latest: {
        manifest: { time: "2026-02-28T10:00:00Z", magic: "x", version: "v3.276.0" },
        secrets_providers: { type: "passphrase" },
        resources: [
          {
            urn: `urn:pulumi:${stack}::${project}::pulumi:pulumi:Stack::${project}-${stack}`,
            custom: false,
            type: "pulumi:pulumi:Stack",
          },
          ...resources.map((r) => ({
            urn: `urn:pulumi:${stack}::${project}::${r.type}::${r.name}`,
            custom: true,
            id: r.id,
            type: r.type,
            inputs: {},
            outputs: r.outputs,
          })),
        ],
      },
    },
  });
}

describe("orphan-scanner handler", () => {
  const moto = useMoto();
  let alertsProbe: TopicProbe;
  const arns: Record<string, string> = {};
  const s3 = () => new S3Client({ forcePathStyle: true });
  const putState = (key: string, body: string | Buffer) =>
    s3().send(new PutObjectCommand({ Bucket: STATE_BUCKET, Key: key, Body: body }));

  beforeEach(async () => {
    await moto().reset();
    resetClients();
    resetEnvCache();
    const sqs = new SQSClient({});
    for (const name of ["tradai-test-backtest-jobs", "tradai-test-leftover", "someone-elses-queue"]) {
      const { QueueUrl } = await sqs.send(
        new CreateQueueCommand({
          QueueName: name,
          tags: name.startsWith("tradai") ? tags : { Project: "other" },
        }),
      );
      const { Attributes } = await sqs.send(
        new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ["QueueArn"] }),
      );
      arns[name] = Attributes?.QueueArn ?? "";
      arns[`${name}:url`] = QueueUrl ?? "";
    }
    const { TopicArn } = await new SNSClient({}).send(
      new CreateTopicCommand({
        Name: "tradai-test-notifications",
        Tags: Object.entries(tags).map(([Key, Value]) => ({ Key, Value })),
      }),
    );
    arns.topic = TopicArn ?? "";

    // Two revisions of a tagged task definition (the stack declares the newer) and a task started from it.
    const ecs = new ECSClient({});
    await ecs.send(new CreateClusterCommand({ clusterName: "tradai-test" }));
    const ecsTags = Object.entries(tags).map(([key, value]) => ({ key, value }));
    for (const revision of ["old", "current"]) {
      const { taskDefinition } = await ecs.send(
        new RegisterTaskDefinitionCommand({
          family: "tradai-test-backtest",
          networkMode: "bridge",
          containerDefinitions: [{ name: "strategy-service", image: `strategy:${revision}`, memory: 512 }],
          tags: ecsTags,
        }),
      );
      arns[`taskdef-${revision}`] = taskDefinition?.taskDefinitionArn ?? "";
    }
    const { tasks } = await ecs.send(
      new RunTaskCommand({
        cluster: "tradai-test",
        taskDefinition: arns["taskdef-current"],
        launchType: "FARGATE",
        startedBy: "0b5c3a52-8a3f-4c55-9a51-5d5e3d1f2a10",
        tags: ecsTags,
      }),
    );
    arns.task = tasks?.[0]?.taskArn ?? "";

    await s3().send(
      new CreateBucketCommand({
        Bucket: STATE_BUCKET,
        CreateBucketConfiguration: { LocationConstraint: TEST_REGION },
      }),
    );
    // foundation declares the jobs queue (id = URL, arn output); edge (gzipped) declares the topic (id = ARN).
    await putState(
      "infra/.pulumi/stacks/tradai-foundation/test.json",
      checkpoint("tradai-foundation", "test", [
        {
          type: "aws:sqs/queue:Queue",
          name: "backtest-jobs",
          id: arns["tradai-test-backtest-jobs:url"] as string,
          outputs: { arn: arns["tradai-test-backtest-jobs"], url: arns["tradai-test-backtest-jobs:url"] },
        },
        {
          type: "aws:ecs/taskDefinition:TaskDefinition",
          name: "backtest",
          id: "tradai-test-backtest",
          outputs: { arn: arns["taskdef-current"], revision: 2 },
        },
      ]),
    );
    await putState(
      "infra/.pulumi/stacks/tradai-edge/test.json.gz",
      gzipSync(
        checkpoint("tradai-edge", "test", [
          { type: "aws:sns/topic:Topic", name: "notifications", id: arns.topic as string, outputs: {} },
        ]),
      ),
    );
    // The previous state still declares the leftover queue; it must not count.
    await putState(
      "infra/.pulumi/stacks/tradai-foundation/test.json.bak",
      checkpoint("tradai-foundation", "test", [
        {
          type: "aws:sqs/queue:Queue",
          name: "leftover",
          id: "x",
          outputs: { arn: arns["tradai-test-leftover"] },
        },
      ]),
    );

    alertsProbe = await createTopicProbe("alerts-observer");
    Object.assign(process.env, {
      PULUMI_BACKEND_URL: `s3://${STATE_BUCKET}/infra`,
      ALERTS_TOPIC_ARN: alertsProbe.topicArn,
      ENVIRONMENT: "test",
    });
  });

  afterEach(() => jest.restoreAllMocks());

  it("reports tagged resources no stack declares: return value, metric and alert", async () => {
    const report = await handler(scheduled);

    expect(report.stacks).toEqual([
      "infra/.pulumi/stacks/tradai-edge/test.json.gz",
      "infra/.pulumi/stacks/tradai-foundation/test.json",
    ]);
    expect(report.taggedResources).toBe(6);
    expect(report.orphans).toEqual([arns["tradai-test-leftover"]]);
    expect(report.runtimeManaged).toEqual(
      expect.arrayContaining([
        { arn: arns["taskdef-old"], reason: "earlier revision of a declared task definition" },
        { arn: arns.task, reason: "ECS task (started by a service or a job)" },
      ]),
    );
    expect(report.runtimeManaged).toHaveLength(2);
    expect(await metricMaxima("OrphanedResources")).toEqual([1]);
    const alerts = await alertsProbe.notifications();
    expect(alerts).toHaveLength(1);
    expect(alerts[0]?.body).toMatchObject({
      severity: "warning",
      source: "orphan-scanner",
      title: "1 resource(s) tagged Project=tradai that no stack declares",
      message: arns["tradai-test-leftover"],
    });
  });

  it("publishes 0 and sends no alert when every tagged resource is declared", async () => {
    await putState(
      "infra/.pulumi/stacks/tradai-persistent/test.json",
      checkpoint("tradai-persistent", "test", [
        {
          type: "aws:sqs/queue:Queue",
          name: "leftover",
          id: "u",
          outputs: { arn: arns["tradai-test-leftover"] },
        },
      ]),
    );
    const report = await handler(scheduled);
    expect(report.orphans).toEqual([]);
    expect(await metricMaxima("OrphanedResources")).toEqual([0]);
    expect(await alertsProbe.notifications()).toEqual([]);
  });

  it("rejects a bad event with a logged error and writes nothing", async () => {
    const logged = jest.spyOn(logger, "error").mockImplementation(() => undefined);
    await expect(handler({ ...scheduled, time: "yesterday" })).rejects.toBeInstanceOf(InvalidEventError);
    expect(logged).toHaveBeenCalledWith("orphan-scanner failed", { error: expect.any(InvalidEventError) });
    expect(await metricMaxima("OrphanedResources")).toEqual([]);
    expect(await alertsProbe.notifications()).toEqual([]);
  });

  it("refuses to report when the backend holds no checkpoint or a broken one", async () => {
    jest.spyOn(logger, "error").mockImplementation(() => undefined);
    process.env.PULUMI_BACKEND_URL = `s3://${STATE_BUCKET}/elsewhere`;
    await expect(handler(scheduled)).rejects.toThrow(
      /no stack checkpoints under s3:\/\/tradai-test-pulumi-state\/elsewhere\/.pulumi\/stacks\//,
    );
    resetEnvCache();
    process.env.PULUMI_BACKEND_URL = `s3://${STATE_BUCKET}/infra`;
    await putState("infra/.pulumi/stacks/tradai-compute/test.json", '{"version":3}');
    await expect(handler(scheduled)).rejects.toThrow(/tradai-compute\/test.json is not a Pulumi checkpoint/);
    expect(await metricMaxima("OrphanedResources")).toEqual([]);
    expect(await alertsProbe.notifications()).toEqual([]);
  });

  it("rejects a backend URL that is not s3:// naming the variable", async () => {
    jest.spyOn(logger, "error").mockImplementation(() => undefined);
    process.env.PULUMI_BACKEND_URL = "file:///var/pulumi";
    await expect(handler(scheduled)).rejects.toThrow(
      /PULUMI_BACKEND_URL: PULUMI_BACKEND_URL must be an s3:\/\/ URL/,
    );
  });
});
