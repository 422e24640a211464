/**
 * The snapshot the bad-input properties compare (`emulatorState`, read by the emulator's launcher from
 * moto's models) against the AWS APIs that change what it covers: each change, made through its API, must
 * show in its own part of the snapshot and nowhere else, and no change must show as none.
 */
import { CloudWatchClient, PutMetricDataCommand } from "@aws-sdk/client-cloudwatch";
import { DynamoDBClient, PutItemCommand, UpdateItemCommand } from "@aws-sdk/client-dynamodb";
import {
  CreateInternetGatewayCommand,
  CreateRouteCommand,
  CreateRouteTableCommand,
  CreateVpcCommand,
  EC2Client,
} from "@aws-sdk/client-ec2";
import {
  CreateClusterCommand,
  ECSClient,
  RegisterTaskDefinitionCommand,
  RunTaskCommand,
} from "@aws-sdk/client-ecs";
import { CreateBucketCommand, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { CreateStateMachineCommand, SFNClient, StartExecutionCommand } from "@aws-sdk/client-sfn";
import { CreateTopicCommand, PublishCommand, SNSClient } from "@aws-sdk/client-sns";
import {
  CreateQueueCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
  SQSClient,
} from "@aws-sdk/client-sqs";
import { TEST_ACCOUNT_ID, useMoto } from "@tradai/testing";
import { createModelDeploymentsTable, createTopicProbe, type EmulatorState, emulatorState } from "../testing";

const TABLE = "state-test-deployments";
const BUCKET = "tradai-state-test";
const QUEUE = "state-test-queue";
const CLUSTER = "state-test";
const NAMESPACE = "TradAI/StateTest";

describe("emulatorState", () => {
  useMoto();
  const db = new DynamoDBClient({});
  const s3 = new S3Client({ forcePathStyle: true });
  const sqs = new SQSClient({});
  const sns = new SNSClient({});
  const ecs = new ECSClient({});
  const sfn = new SFNClient({});
  const cloudwatch = new CloudWatchClient({});
  const ec2 = new EC2Client({});
  let queueUrl = "";
  let topicArn = "";
  let machineArn = "";
  let routeTableId = "";
  let gatewayId = "";

  beforeAll(async () => {
    await createModelDeploymentsTable(TABLE);
    await db.send(
      new PutItemCommand({
        TableName: TABLE,
        Item: { modelName: { S: "m" }, deployedAt: { S: "2026-01-01" }, version: { S: "1" } },
      }),
    );
    await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
    await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: "k", Body: "first" }));
    queueUrl = (await sqs.send(new CreateQueueCommand({ QueueName: QUEUE }))).QueueUrl ?? "";
    topicArn = (await createTopicProbe("state-test-topic")).topicArn;
    await ecs.send(new CreateClusterCommand({ clusterName: CLUSTER }));
    await ecs.send(
      new RegisterTaskDefinitionCommand({
        family: "state-test",
        containerDefinitions: [{ name: "app", image: "app:1", memory: 128 }],
      }),
    );
    machineArn =
      (
        await sfn.send(
          new CreateStateMachineCommand({
            name: "state-test",
            roleArn: `arn:aws:iam::${TEST_ACCOUNT_ID}:role/state-test`,
            definition: JSON.stringify({ StartAt: "Done", States: { Done: { Type: "Succeed" } } }),
          }),
        )
      ).stateMachineArn ?? "";
    await cloudwatch.send(
      new PutMetricDataCommand({ Namespace: NAMESPACE, MetricData: [{ MetricName: "Runs", Value: 1 }] }),
    );
    const vpc = (await ec2.send(new CreateVpcCommand({ CidrBlock: "10.9.0.0/16" }))).Vpc?.VpcId;
    routeTableId =
      (await ec2.send(new CreateRouteTableCommand({ VpcId: vpc }))).RouteTable?.RouteTableId ?? "";
    gatewayId =
      (await ec2.send(new CreateInternetGatewayCommand({}))).InternetGateway?.InternetGatewayId ?? "";
  });

  afterAll(() => {
    for (const client of [db, s3, sqs, sns, ecs, sfn, cloudwatch, ec2]) client.destroy();
  });

  it("reads the same state twice when nothing changed, and holds what was created", async () => {
    const first = await emulatorState();
    expect(await emulatorState()).toEqual(first);
    const rows = first.items[`${TEST_ACCOUNT_ID}/eu-central-1/${TABLE}`] ?? [];
    expect(rows.map((row) => JSON.parse(row))).toEqual([
      { deployedAt: { S: "2026-01-01" }, modelName: { S: "m" }, version: { S: "1" } },
    ]);
    expect(Object.keys(JSON.parse(rows[0] ?? "{}"))).toEqual(["deployedAt", "modelName", "version"]);
    expect(Object.keys(first.objects)).toContain(`${BUCKET}/k`);
    expect(first.executions[machineArn]).toEqual([]);
    expect(first.routes[routeTableId]).toEqual(["10.9.0.0/16 -> local"]);
  });

  const changes: [string, keyof EmulatorState, () => Promise<unknown>][] = [
    [
      "a new DynamoDB item",
      "items",
      () =>
        db.send(
          new PutItemCommand({
            TableName: TABLE,
            Item: { modelName: { S: "m" }, deployedAt: { S: "2026-02-01" } },
          }),
        ),
    ],
    [
      "another value of an item's attribute (same attribute names)",
      "items",
      () =>
        db.send(
          new UpdateItemCommand({
            TableName: TABLE,
            Key: { modelName: { S: "m" }, deployedAt: { S: "2026-01-01" } },
            UpdateExpression: "SET version = :v",
            ExpressionAttributeValues: { ":v": { S: "2" } },
          }),
        ),
    ],
    [
      "an S3 object overwritten with other bytes",
      "objects",
      () => s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: "k", Body: "second" })),
    ],
    [
      "an SQS message sent",
      "queues",
      () => sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: "m" })),
    ],
    [
      "an SQS message received (now in flight)",
      "queues",
      () => sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, VisibilityTimeout: 300 })),
    ],
    [
      "an SNS message published (delivered to the topic's probe queue)",
      "queues",
      () => sns.send(new PublishCommand({ TopicArn: topicArn, Message: "{}" })),
    ],
    [
      "an ECS task run",
      "tasks",
      () =>
        ecs.send(
          new RunTaskCommand({ cluster: CLUSTER, taskDefinition: "state-test", launchType: "FARGATE" }),
        ),
    ],
    [
      "a Step Functions execution started",
      "executions",
      () => sfn.send(new StartExecutionCommand({ stateMachineArn: machineArn })),
    ],
    [
      "a data point of an existing metric",
      "metrics",
      () =>
        cloudwatch.send(
          new PutMetricDataCommand({ Namespace: NAMESPACE, MetricData: [{ MetricName: "Runs", Value: 2 }] }),
        ),
    ],
    [
      "an EC2 route",
      "routes",
      () =>
        ec2.send(
          new CreateRouteCommand({
            RouteTableId: routeTableId,
            DestinationCidrBlock: "0.0.0.0/0",
            GatewayId: gatewayId,
          }),
        ),
    ],
  ];

  it.each(changes)("shows %s in %s, and nothing else", async (_what, part, change) => {
    const before = await emulatorState();
    await change();
    const after = await emulatorState();
    expect(after[part]).not.toEqual(before[part]);
    expect({ ...after, [part]: undefined }).toEqual({ ...before, [part]: undefined });
  });

  it("refuses to snapshot while a topic has no SQS probe (its publishes would not show), naming it", async () => {
    const bare = (await sns.send(new CreateTopicCommand({ Name: "state-test-unprobed" }))).TopicArn;
    await expect(emulatorState()).rejects.toThrow(`topic ${bare} has no SQS probe`);
  });
});
