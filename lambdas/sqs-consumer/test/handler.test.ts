import { randomUUID } from "node:crypto";
import {
  CreateSecurityGroupCommand,
  CreateSubnetCommand,
  CreateVpcCommand,
  EC2Client,
  ModifyVpcAttributeCommand,
} from "@aws-sdk/client-ec2";
import {
  CreateClusterCommand,
  DescribeTasksCommand,
  ECSClient,
  ListTasksCommand,
  RegisterTaskDefinitionCommand,
} from "@aws-sdk/client-ecs";
import { JobStore } from "@tradai/aws-clients";
import { dynamo } from "@tradai/lambda-common";
import { createJobsTable, lambdaContext, setTestEnv, sqsEvent } from "@tradai/lambda-common/testing";
import { useMoto } from "@tradai/testing";
import { handler } from "../src/handler";

const CLUSTER = "tradai-test";
const CONTAINER = "strategy-service";

const message = (overrides: Record<string, unknown> = {}) => ({
  jobId: randomUUID(),
  strategyId: "rsi-reversal",
  exchange: "binance",
  symbol: "BTC/USDT",
  timeframe: "1h",
  from: "2025-01-01",
  to: "2025-03-01",
  parameters: { rsiPeriod: 14 },
  ...overrides,
});

describe("sqs-consumer", () => {
  useMoto();
  let ecs: ECSClient;
  let store: JobStore;
  let restore: () => void;

  /** A VPC with two subnets and a security group: RunTask's awsvpc configuration must reference real ones. */
  async function network(): Promise<{ subnets: string; securityGroups: string }> {
    const ec2 = new EC2Client({});
    try {
      const vpc = await ec2.send(new CreateVpcCommand({ CidrBlock: "10.0.0.0/16" }));
      const VpcId = vpc.Vpc?.VpcId;
      // As in the foundation layer's VPC (and moto needs it to name the task's network interface).
      await ec2.send(new ModifyVpcAttributeCommand({ VpcId, EnableDnsHostnames: { Value: true } }));
      const subnets = await Promise.all(
        ["10.0.1.0/24", "10.0.2.0/24"].map((CidrBlock) =>
          ec2.send(new CreateSubnetCommand({ VpcId, CidrBlock })),
        ),
      );
      const sg = await ec2.send(
        new CreateSecurityGroupCommand({ VpcId, GroupName: "backtest", Description: "test" }),
      );
      return { subnets: subnets.map((s) => s.Subnet?.SubnetId).join(","), securityGroups: sg.GroupId ?? "" };
    } finally {
      ec2.destroy();
    }
  }

  beforeAll(async () => {
    ecs = new ECSClient({});
    const net = await network();
    await ecs.send(new CreateClusterCommand({ clusterName: CLUSTER }));
    const td = await ecs.send(
      new RegisterTaskDefinitionCommand({
        family: "tradai-test-backtest",
        requiresCompatibilities: ["FARGATE"],
        networkMode: "awsvpc",
        cpu: "512",
        memory: "1024",
        // moto needs container-level cpu/memory to account for the task's resources.
        containerDefinitions: [
          { name: CONTAINER, image: "strategy-service:test", essential: true, cpu: 512, memory: 1024 },
        ],
      }),
    );
    restore = setTestEnv({
      JOBS_TABLE: "tradai-test-jobs",
      ECS_CLUSTER: CLUSTER,
      BACKTEST_TASK_DEFINITION: td.taskDefinition?.taskDefinitionArn,
      BACKTEST_CONTAINER_NAME: CONTAINER,
      TASK_SUBNETS: net.subnets,
      TASK_SECURITY_GROUPS: net.securityGroups,
    });
    await createJobsTable("tradai-test-jobs");
    store = new JobStore({ tableName: "tradai-test-jobs", client: dynamo });
  });
  afterAll(() => {
    restore();
    ecs.destroy();
  });

  const tasksFor = async (jobId: string) =>
    (await ecs.send(new ListTasksCommand({ cluster: CLUSTER, startedBy: jobId }))).taskArns ?? [];

  it("starts a task for the good record and reports only the malformed one as failed", async () => {
    const good = message();
    await store.create({ jobId: good.jobId, kind: "backtest" });
    const event = sqsEvent([JSON.stringify(good), JSON.stringify({ ...message(), timeframe: "7m" })]);

    const response = await handler(event, lambdaContext("sqs-consumer"));

    expect(response.batchItemFailures).toEqual([{ itemIdentifier: event.Records[1]?.messageId }]);
    const job = await store.get(good.jobId);
    expect(job).toMatchObject({ status: "RUNNING", version: 3 });
    const arns = await tasksFor(good.jobId);
    expect(arns).toHaveLength(1);
    expect(job?.taskArn).toBe(arns[0]);

    const described = await ecs.send(new DescribeTasksCommand({ cluster: CLUSTER, tasks: arns }));
    const task = described.tasks?.[0];
    expect(task?.startedBy).toBe(good.jobId);
    const env = task?.overrides?.containerOverrides?.[0]?.environment ?? [];
    expect(Object.fromEntries(env.map((e) => [e.name, e.value]))).toEqual({
      MODE: "backtest",
      JOB_ID: good.jobId,
      JOB_REQUEST: JSON.stringify(good),
    });
  });

  it("creates the job when the producer did not, and does not start a second task on redelivery", async () => {
    const msg = message();
    const event = sqsEvent([JSON.stringify(msg)]);
    expect((await handler(event)).batchItemFailures).toEqual([]);
    expect(await store.get(msg.jobId)).toMatchObject({ kind: "backtest", status: "RUNNING" });

    expect((await handler(event)).batchItemFailures).toEqual([]);
    expect(await tasksFor(msg.jobId)).toHaveLength(1);
    expect((await store.get(msg.jobId))?.version).toBe(3);
  });

  it("does not start a cancelled job", async () => {
    const msg = message();
    await store.create({ jobId: msg.jobId, kind: "backtest", status: "CANCELLED" });
    const other = message();
    const response = await handler(sqsEvent([JSON.stringify(msg), JSON.stringify(other)]));
    expect(response.batchItemFailures).toEqual([]);
    expect(await tasksFor(msg.jobId)).toEqual([]);
    expect((await store.get(msg.jobId))?.status).toBe("CANCELLED");
  });

  it("writes nothing for a malformed message and fails the whole batch when every record fails", async () => {
    const bad = message({ jobId: randomUUID(), to: "2024-01-01" });
    await expect(handler(sqsEvent([JSON.stringify(bad)]))).rejects.toThrow(/All records failed/);
    expect(await store.get(bad.jobId as string)).toBeUndefined();
    expect(await tasksFor(bad.jobId as string)).toEqual([]);
  });

  it("fails the record and leaves the job retryable when ECS cannot start the task", async () => {
    const restoreTd = setTestEnv({
      BACKTEST_TASK_DEFINITION: "arn:aws:ecs:eu-central-1:123456789012:task-definition/missing:1",
    });
    const msg = message();
    const ok = message();
    try {
      const event = sqsEvent([JSON.stringify(msg)]);
      await expect(handler(event)).rejects.toThrow();
      const job = await store.get(msg.jobId);
      expect(job?.status).toBe("RUNNING");
      expect(job?.taskArn).toBeUndefined();
    } finally {
      restoreTd();
    }
    // The redelivery with a working configuration starts the missing task.
    const response = await handler(sqsEvent([JSON.stringify(msg), JSON.stringify(ok)]));
    expect(response.batchItemFailures).toEqual([]);
    expect(await tasksFor(msg.jobId)).toHaveLength(1);
    expect((await store.get(msg.jobId))?.taskArn).toBeDefined();
  });
});
