/**
 * A snapshot of everything the emulator holds, to assert that a rejected input changed nothing: how many
 * resources of each kind exist in every service (moto's `/moto-api/data.json`), the messages published to
 * each SNS topic, every DynamoDB item and every S3 object's ETag.
 */
import { DynamoDBClient, ListTablesCommand, paginateScan } from "@aws-sdk/client-dynamodb";
import { ListBucketsCommand, paginateListObjectsV2, S3Client } from "@aws-sdk/client-s3";

export interface EmulatorState {
  /** `service.Model` -> number of instances (tables, items, queues, messages, tasks, executions...). */
  resources: Record<string, number>;
  /** SNS topic ARN -> number of messages published to it. */
  published: Record<string, number>;
  /** Table name -> its items (DynamoDB JSON), sorted. */
  items: Record<string, string[]>;
  /** `bucket/key` -> ETag. */
  objects: Record<string, string>;
}

/**
 * Kinds moto instantiates on reads and sign-ins, not because the code wrote anything (every Scan builds
 * new `Item` objects; items are compared by content below instead) and S3's canned ACL objects, built
 * on the first S3 call.
 */
const VOLATILE = new Set([
  "core.CloudFormationModel",
  "dynamodb.Item",
  "s3.FakeAcl",
  "s3.FakeGrant",
  "s3.FakeGrantee",
  "iam.AccountSummary",
  "sts.AssumedRole",
  "sts.Token",
]);

type MotoData = Record<string, Record<string, unknown[]>>;

function endpoint(): string {
  const url = process.env.AWS_ENDPOINT_URL;
  if (!url) throw new Error("emulatorState(): AWS_ENDPOINT_URL is not set (call useMoto() first)");
  return url;
}

async function motoData(): Promise<MotoData> {
  const response = await fetch(`${endpoint()}/moto-api/data.json`);
  if (!response.ok) throw new Error(`moto data.json: HTTP ${response.status}`);
  return (await response.json()) as MotoData;
}

async function dynamoItems(): Promise<Record<string, string[]>> {
  const db = new DynamoDBClient({});
  try {
    const items: Record<string, string[]> = {};
    const tables = (await db.send(new ListTablesCommand({}))).TableNames ?? [];
    for (const table of tables) {
      const rows: string[] = [];
      for await (const page of paginateScan({ client: db }, { TableName: table })) {
        for (const item of page.Items ?? []) rows.push(JSON.stringify(item, Object.keys(item).sort()));
      }
      items[table] = rows.sort();
    }
    return items;
  } finally {
    db.destroy();
  }
}

async function s3Objects(): Promise<Record<string, string>> {
  const s3 = new S3Client({ forcePathStyle: true });
  try {
    const objects: Record<string, string> = {};
    const buckets = (await s3.send(new ListBucketsCommand({}))).Buckets ?? [];
    for (const bucket of buckets) {
      if (!bucket.Name) continue;
      for await (const page of paginateListObjectsV2({ client: s3 }, { Bucket: bucket.Name })) {
        for (const object of page.Contents ?? []) objects[`${bucket.Name}/${object.Key}`] = object.ETag ?? "";
      }
    }
    return objects;
  } finally {
    s3.destroy();
  }
}

/** What the emulator holds now; compare two snapshots with `toEqual`. */
export async function emulatorState(): Promise<EmulatorState> {
  const data = await motoData();
  const resources: Record<string, number> = {};
  const published: Record<string, number> = {};
  for (const [service, models] of Object.entries(data)) {
    for (const [model, instances] of Object.entries(models)) {
      const kind = `${service}.${model}`;
      if (!VOLATILE.has(kind) && instances.length > 0) resources[kind] = instances.length;
    }
  }
  for (const topic of (data.sns?.Topic ?? []) as { arn?: string; sent_notifications?: unknown[] }[]) {
    if (topic.arn) published[topic.arn] = topic.sent_notifications?.length ?? 0;
  }
  const [items, objects] = await Promise.all([dynamoItems(), s3Objects()]);
  return { resources, published, items, objects };
}
