/**
 * Property: malformed backtest-jobs messages (wrong shapes, identifiers in a looser format than the jobs
 * table and ECS use, requests too large for the task's 8 KiB ECS overrides) are reported as batch item
 * failures, each as invalid, with no job written and no task started.
 */
import { randomUUID } from "node:crypto";
import {
  CreateSecurityGroupCommand,
  CreateSubnetCommand,
  CreateVpcCommand,
  EC2Client,
  ModifyVpcAttributeCommand,
} from "@aws-sdk/client-ec2";
import { CreateClusterCommand, ECSClient, RegisterTaskDefinitionCommand } from "@aws-sdk/client-ecs";
import { JobStore } from "@tradai/aws-clients";
import { BACKTEST_REQUEST_MAX_BYTES, ECS_MAX_OVERRIDES_BYTES, jsonBytes } from "@tradai/contracts";
import { dynamo } from "@tradai/lambda-common";
import {
  badIdentifier,
  brokenEvent,
  createJobsTable,
  expectBatchRejectedWithoutChange,
  notAString,
  PROPERTY_RUNS,
  quietLogger,
  setTestEnv,
  sqsEvent,
  stringOfBytes,
} from "@tradai/lambda-common/testing";
import { useMoto } from "@tradai/testing";
import * as fc from "fast-check";
import { backtestOverrides } from "../src/backtest-task";
import { config } from "../src/config";
import { handler } from "../src/handler";

const CLUSTER = "tradai-test";
const CONTAINER = "strategy-service";

const valid = {
  jobId: randomUUID(),
  strategyId: "rsi-reversal",
  exchange: "binance",
  symbol: "BTC/USDT",
  timeframe: "1h",
  from: "2025-01-01",
  to: "2025-03-01",
  parameters: { rsiPeriod: 14 },
};

const brokenBody = fc.oneof(
  brokenEvent(
    valid,
    {
      jobId: fc.oneof(badIdentifier(), fc.constantFrom("not-a-uuid", `${randomUUID()}x`)),
      strategyId: fc.oneof(badIdentifier(), fc.constantFrom("RSI", "1abc", "a".repeat(65))),
      symbol: fc.oneof(notAString(), fc.constantFrom("BTCUSDT", "btc/usdt")),
      from: fc.constantFrom("2025-04-01", "2025-02-30", 20250101),
      // Within SQS's 256 KiB but beyond what the task's ECS overrides (8 KiB) can carry.
      parameters: fc.oneof(
        fc.constant({ blob: stringOfBytes(10 * 1024) }),
        fc.constant(Object.fromEntries(Array.from({ length: 600 }, (_, i) => [`p${i}`, i]))),
        fc.constant({ nested: { a: 1 } }),
        fc.constant([1, 2]),
      ),
    },
    ["jobId", "strategyId", "exchange", "symbol", "timeframe", "from", "to"],
  ).map((body) => JSON.stringify(body) ?? "undefined"),
  fc.constantFrom("", "{", "null", "[]", "not json"),
);

describe("sqs-consumer: bad input", () => {
  useMoto();
  quietLogger();
  let restore: () => void = () => {};

  beforeAll(async () => {
    const ec2 = new EC2Client({});
    const vpc = await ec2.send(new CreateVpcCommand({ CidrBlock: "10.0.0.0/16" }));
    const VpcId = vpc.Vpc?.VpcId;
    await ec2.send(new ModifyVpcAttributeCommand({ VpcId, EnableDnsHostnames: { Value: true } }));
    const subnet = await ec2.send(new CreateSubnetCommand({ VpcId, CidrBlock: "10.0.1.0/24" }));
    const sg = await ec2.send(
      new CreateSecurityGroupCommand({ VpcId, GroupName: "backtest", Description: "test" }),
    );
    ec2.destroy();
    const ecs = new ECSClient({});
    await ecs.send(new CreateClusterCommand({ clusterName: CLUSTER }));
    const td = await ecs.send(
      new RegisterTaskDefinitionCommand({
        family: "tradai-test-backtest",
        requiresCompatibilities: ["FARGATE"],
        networkMode: "awsvpc",
        cpu: "512",
        memory: "1024",
        containerDefinitions: [
          { name: CONTAINER, image: "strategy-service:test", essential: true, cpu: 512, memory: 1024 },
        ],
      }),
    );
    ecs.destroy();
    await createJobsTable("tradai-test-jobs");
    restore = setTestEnv({
      JOBS_TABLE: "tradai-test-jobs",
      ECS_CLUSTER: CLUSTER,
      BACKTEST_TASK_DEFINITION: td.taskDefinition?.taskDefinitionArn,
      BACKTEST_CONTAINER_NAME: CONTAINER,
      TASK_SUBNETS: subnet.Subnet?.SubnetId,
      TASK_SECURITY_GROUPS: sg.GroupId,
    });
  });
  afterAll(() => restore());

  it("reports every malformed message as an invalid batch item failure and writes nothing", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(brokenBody, { minLength: 1, maxLength: 3 }), (bodies) =>
        expectBatchRejectedWithoutChange(handler, bodies, "backtest job message failed"),
      ),
      { numRuns: PROPERTY_RUNS },
    );
  });

  it("starts the largest valid request: its overrides fit ECS's limit", async () => {
    const base = { ...valid, jobId: randomUUID() };
    // Parameters of the longest allowed value, as many as the request limit takes.
    const parameters: Record<string, string> = {};
    for (let i = 0; ; i++) {
      const more = { ...parameters, [`p${i}`]: "x".repeat(256) };
      if (jsonBytes({ ...base, parameters: more }) > BACKTEST_REQUEST_MAX_BYTES) break;
      Object.assign(parameters, more);
    }
    const largest = { ...base, parameters };
    expect(jsonBytes(largest)).toBeLessThanOrEqual(BACKTEST_REQUEST_MAX_BYTES);
    expect(jsonBytes(largest)).toBeGreaterThan(BACKTEST_REQUEST_MAX_BYTES - 300);
    expect(jsonBytes(backtestOverrides(largest as never, config()))).toBeLessThanOrEqual(
      ECS_MAX_OVERRIDES_BYTES,
    );

    const response = await handler(sqsEvent([JSON.stringify(largest)]));
    expect(response.batchItemFailures).toEqual([]);
    expect(
      await new JobStore({ tableName: "tradai-test-jobs", client: dynamo }).get(largest.jobId),
    ).toMatchObject({
      status: "RUNNING",
    });
  });
});
