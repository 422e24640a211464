/**
 * A snapshot of what the emulator holds, to assert that a rejected input changed nothing: every DynamoDB
 * item, every S3 object's ETag, the messages waiting in every SQS queue (which include everything
 * published to a topic: each topic must have a probe queue subscribed, see `createTopicProbe`), every
 * ECS task, Step Functions execution and CloudWatch metric, and every EC2 route.
 *
 * Read through the AWS APIs rather than moto's `/moto-api/data.json`: that dump holds every built-in AMI
 * once EC2 is used (12 MB, seconds per call).
 */
import { CloudWatchClient, paginateListMetrics } from "@aws-sdk/client-cloudwatch";
import { DynamoDBClient, ListTablesCommand, paginateScan } from "@aws-sdk/client-dynamodb";
import { DescribeRouteTablesCommand, EC2Client } from "@aws-sdk/client-ec2";
import { ECSClient, ListClustersCommand, paginateListTasks } from "@aws-sdk/client-ecs";
import { ListBucketsCommand, paginateListObjectsV2, S3Client } from "@aws-sdk/client-s3";
import { ListExecutionsCommand, ListStateMachinesCommand, SFNClient } from "@aws-sdk/client-sfn";
import { ListSubscriptionsByTopicCommand, ListTopicsCommand, SNSClient } from "@aws-sdk/client-sns";
import { GetQueueAttributesCommand, ListQueuesCommand, SQSClient } from "@aws-sdk/client-sqs";

export interface EmulatorState {
  /** Table name -> its items (DynamoDB JSON, keys sorted), sorted. */
  items: Record<string, string[]>;
  /** `bucket/key` -> ETag. */
  objects: Record<string, string>;
  /** Queue URL -> messages visible, in flight and delayed. */
  queues: Record<string, string>;
  /** Cluster ARN -> task ARNs (running and stopped), sorted. */
  tasks: Record<string, string[]>;
  /** State machine ARN -> execution ARNs, sorted. */
  executions: Record<string, string[]>;
  /** `namespace/name{dimensions}` of every metric, sorted. */
  metrics: string[];
  /** Route table id -> its routes (destination -> target), sorted. */
  routes: Record<string, string[]>;
}

/**
 * One client of each kind per emulator endpoint, kept for the test file: a property takes a snapshot per
 * run, and building eight SDK clients each time cost more than the reads.
 */
const clients = new Map<string, Map<string, { destroy(): void }>>();

function clientFor<C extends { destroy(): void }>(kind: string, make: () => C): C {
  const endpoint = process.env.AWS_ENDPOINT_URL ?? "";
  let forEndpoint = clients.get(endpoint);
  if (!forEndpoint) {
    forEndpoint = new Map();
    clients.set(endpoint, forEndpoint);
  }
  let client = forEndpoint.get(kind);
  if (!client) {
    client = make();
    forEndpoint.set(kind, client);
  }
  return client as C;
}

// Like Testing Library's automatic cleanup: importing this module from a test file closes its clients
// after the file's tests, so no keep-alive socket outlives the emulator.
afterAll(() => {
  for (const forEndpoint of clients.values()) for (const client of forEndpoint.values()) client.destroy();
  clients.clear();
});

async function using<C extends { destroy(): void }, T>(
  kind: string,
  make: () => C,
  read: (client: C) => Promise<T>,
): Promise<T> {
  return read(clientFor(kind, make));
}

const items = () =>
  using(
    "dynamodb",
    () => new DynamoDBClient({}),
    async (db) => {
      const out: Record<string, string[]> = {};
      for (const table of (await db.send(new ListTablesCommand({}))).TableNames ?? []) {
        const rows: string[] = [];
        for await (const page of paginateScan({ client: db }, { TableName: table })) {
          for (const item of page.Items ?? []) rows.push(JSON.stringify(item, Object.keys(item).sort()));
        }
        out[table] = rows.sort();
      }
      return out;
    },
  );

const objects = () =>
  using(
    "s3",
    () => new S3Client({ forcePathStyle: true }),
    async (s3) => {
      const out: Record<string, string> = {};
      for (const bucket of (await s3.send(new ListBucketsCommand({}))).Buckets ?? []) {
        if (!bucket.Name) continue;
        for await (const page of paginateListObjectsV2({ client: s3 }, { Bucket: bucket.Name })) {
          for (const object of page.Contents ?? []) out[`${bucket.Name}/${object.Key}`] = object.ETag ?? "";
        }
      }
      return out;
    },
  );

const queues = () =>
  using(
    "sqs",
    () => new SQSClient({}),
    async (sqs) => {
      const out: Record<string, string> = {};
      for (const url of (await sqs.send(new ListQueuesCommand({}))).QueueUrls ?? []) {
        const { Attributes: a = {} } = await sqs.send(
          new GetQueueAttributesCommand({
            QueueUrl: url,
            AttributeNames: [
              "ApproximateNumberOfMessages",
              "ApproximateNumberOfMessagesNotVisible",
              "ApproximateNumberOfMessagesDelayed",
            ],
          }),
        );
        out[url] =
          `${a.ApproximateNumberOfMessages}/${a.ApproximateNumberOfMessagesNotVisible}/${a.ApproximateNumberOfMessagesDelayed}`;
      }
      return out;
    },
  );

/** Publishes are seen through the queues subscribed to each topic; a topic without one would hide them. */
const assertTopicsProbed = () =>
  using(
    "sns",
    () => new SNSClient({}),
    async (sns) => {
      for (const topic of (await sns.send(new ListTopicsCommand({}))).Topics ?? []) {
        const subs = await sns.send(new ListSubscriptionsByTopicCommand({ TopicArn: topic.TopicArn }));
        if (!(subs.Subscriptions ?? []).some((s) => s.Protocol === "sqs")) {
          throw new Error(
            `emulatorState(): topic ${topic.TopicArn} has no SQS probe; create it with createTopicProbe`,
          );
        }
      }
    },
  );

const tasks = () =>
  using(
    "ecs",
    () => new ECSClient({}),
    async (ecs) => {
      const out: Record<string, string[]> = {};
      for (const cluster of (await ecs.send(new ListClustersCommand({}))).clusterArns ?? []) {
        const arns: string[] = [];
        for (const desiredStatus of ["RUNNING", "STOPPED"] as const) {
          for await (const page of paginateListTasks({ client: ecs }, { cluster, desiredStatus })) {
            arns.push(...(page.taskArns ?? []));
          }
        }
        out[cluster] = arns.sort();
      }
      return out;
    },
  );

const executions = () =>
  using(
    "sfn",
    () => new SFNClient({}),
    async (sfn) => {
      const out: Record<string, string[]> = {};
      for (const machine of (await sfn.send(new ListStateMachinesCommand({}))).stateMachines ?? []) {
        const listed = await sfn.send(
          new ListExecutionsCommand({ stateMachineArn: machine.stateMachineArn }),
        );
        out[machine.stateMachineArn ?? ""] = (listed.executions ?? [])
          .map((e) => e.executionArn ?? "")
          .sort();
      }
      return out;
    },
  );

const metrics = () =>
  using(
    "cloudwatch",
    () => new CloudWatchClient({}),
    async (cw) => {
      const out: string[] = [];
      for await (const page of paginateListMetrics({ client: cw }, {})) {
        for (const m of page.Metrics ?? []) {
          const dims = (m.Dimensions ?? []).map((d) => `${d.Name}=${d.Value}`).sort();
          out.push(`${m.Namespace}/${m.MetricName}{${dims.join(",")}}`);
        }
      }
      return out.sort();
    },
  );

const routes = () =>
  using(
    "ec2",
    () => new EC2Client({}),
    async (ec2) => {
      const out: Record<string, string[]> = {};
      for (const table of (await ec2.send(new DescribeRouteTablesCommand({}))).RouteTables ?? []) {
        out[table.RouteTableId ?? ""] = (table.Routes ?? [])
          .map(
            (r) =>
              `${r.DestinationCidrBlock} -> ${r.NetworkInterfaceId ?? r.GatewayId ?? r.InstanceId ?? "?"}`,
          )
          .sort();
      }
      return out;
    },
  );

/** What the emulator holds now; compare two snapshots with `toEqual`. */
export async function emulatorState(): Promise<EmulatorState> {
  if (!process.env.AWS_ENDPOINT_URL)
    throw new Error("emulatorState(): AWS_ENDPOINT_URL is not set (useMoto())");
  await assertTopicsProbed();
  const [i, o, q, t, e, m, r] = await Promise.all([
    items(),
    objects(),
    queues(),
    tasks(),
    executions(),
    metrics(),
    routes(),
  ]);
  return { items: i, objects: o, queues: q, tasks: t, executions: e, metrics: m, routes: r };
}
