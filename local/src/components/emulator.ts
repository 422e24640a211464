/**
 * AWS on this machine: the moto server the tests use, holding every bucket, table, queue (with its
 * dead-letter queue and redrive policy), topic and secret the plan declares, under the plan's names.
 */
import { randomBytes } from "node:crypto";
import * as path from "node:path";
import {
  type AttributeDefinition,
  CreateTableCommand,
  DynamoDBClient,
  type KeySchemaElement,
  UpdateTimeToLiveCommand,
} from "@aws-sdk/client-dynamodb";
import { CreateBucketCommand, PutBucketVersioningCommand, S3Client } from "@aws-sdk/client-s3";
import { CreateSecretCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { CreateTopicCommand, SNSClient } from "@aws-sdk/client-sns";
import { CreateQueueCommand, SQSClient } from "@aws-sdk/client-sqs";
import { ensurePythonEnv, motoServerCommand } from "@tradai/testing";
import { freePort, type ManagedProcess, spawnManaged, waitForHttp } from "../processes";
import type { TableSpec, Topology } from "../topology";

/** Credentials the emulator accepts; never real ones. */
export const LOCAL_CREDENTIALS = {
  AWS_ACCESS_KEY_ID: "local",
  AWS_SECRET_ACCESS_KEY: "local",
  AWS_SESSION_TOKEN: "local",
} as const;

export interface Emulator {
  url: string;
  /** The emulator's process; undefined for one the platform attached to ({@link attachEmulator}). */
  process: ManagedProcess | undefined;
  /** The environment an AWS SDK client needs to reach the emulator and nothing else. */
  awsEnv: Record<string, string>;
}

export async function startEmulator(topology: Topology, logDir: string, cwd: string): Promise<Emulator> {
  // Installs the emulator into .venv first on a fresh checkout (async, under the install lock).
  await ensurePythonEnv();
  const port = await freePort();
  const server = motoServerCommand();
  const process = spawnManaged({
    name: "emulator",
    command: server.command,
    args: server.args(port),
    env: { PATH: globalThis.process.env.PATH, HOME: globalThis.process.env.HOME, ...server.settings },
    cwd,
    logDir,
  });
  const url = `http://127.0.0.1:${port}`;
  await waitForHttp(`${url}/moto-api/`, {
    process,
    timeoutMs: 60_000,
    name: "moto_server",
    logFile: path.join(logDir, "emulator.log"),
  });
  return { url, process, awsEnv: awsEnvOf(url, topology.region) };
}

/** The environment an AWS SDK client needs to reach the emulator at `url` and nothing else. */
function awsEnvOf(url: string, region: string): Record<string, string> {
  return { AWS_ENDPOINT_URL: url, AWS_REGION: region, AWS_DEFAULT_REGION: region, ...LOCAL_CREDENTIALS };
}

/**
 * An emulator someone else runs (a moto server already listening at `url`): checked to answer as moto
 * does, then used as it is. Its contents and its life are the caller's: nothing here resets or stops it.
 */
export async function attachEmulator(url: string, topology: Topology): Promise<Emulator> {
  const base = url.replace(/\/+$/, "");
  // moto's own API: its state as JSON. Anything else (nothing listening, another server) is refused.
  const probe = `${base}/moto-api/data.json`;
  let answer: string;
  try {
    const response = await fetch(probe, { signal: AbortSignal.timeout(5000) });
    const body = await response.text();
    const parsed: unknown = response.ok ? JSON.parse(body) : undefined;
    answer = parsed !== null && typeof parsed === "object" ? "" : `HTTP ${response.status}`;
  } catch (error) {
    answer = (error as Error).message;
  }
  if (answer) throw new Error(`no moto emulator answers at ${base} (GET ${probe}: ${answer})`);
  return { url: base, process: undefined, awsEnv: awsEnvOf(base, topology.region) };
}

function clientConfig(emulator: Pick<Emulator, "url">, region: string) {
  return {
    endpoint: emulator.url,
    region,
    credentials: {
      accessKeyId: LOCAL_CREDENTIALS.AWS_ACCESS_KEY_ID,
      secretAccessKey: LOCAL_CREDENTIALS.AWS_SECRET_ACCESS_KEY,
      sessionToken: LOCAL_CREDENTIALS.AWS_SESSION_TOKEN,
    },
  };
}

function keySchema(hash: string, range?: string): KeySchemaElement[] {
  return [
    { AttributeName: hash, KeyType: "HASH" },
    ...(range ? [{ AttributeName: range, KeyType: "RANGE" as const }] : []),
  ];
}

async function createTable(db: DynamoDBClient, table: TableSpec): Promise<void> {
  await db.send(
    new CreateTableCommand({
      TableName: table.name,
      BillingMode: "PAY_PER_REQUEST",
      AttributeDefinitions: table.attributes.map(
        (a): AttributeDefinition => ({
          AttributeName: a.name,
          AttributeType: a.type,
        }),
      ),
      KeySchema: keySchema(table.hashKey, table.rangeKey),
      ...(table.globalSecondaryIndexes.length > 0
        ? {
            GlobalSecondaryIndexes: table.globalSecondaryIndexes.map((g) => ({
              IndexName: g.name,
              KeySchema: keySchema(g.hashKey, g.rangeKey),
              Projection: { ProjectionType: "ALL" as const },
            })),
          }
        : {}),
    }),
  );
  if (table.ttlAttribute) {
    await db.send(
      new UpdateTimeToLiveCommand({
        TableName: table.name,
        TimeToLiveSpecification: { AttributeName: table.ttlAttribute, Enabled: true },
      }),
    );
  }
}

/** What a local secret holds: the keys task definitions select (`:username::`), random values. */
function localSecretValue(id: string, topology: Topology): string {
  const keys = new Set<string>();
  for (const td of topology.taskDefinitions) {
    for (const container of td.containers) {
      for (const valueFrom of Object.values(container.secrets)) {
        const match = /^(arn:aws[\w-]*:secretsmanager:[^:]+:\d+:secret:[^:]+):([^:]+)::/.exec(valueFrom);
        if (match?.[1] === id && match[2]) keys.add(match[2]);
      }
    }
  }
  if (keys.size === 0) keys.add("value");
  return JSON.stringify(
    Object.fromEntries([...keys].map((k) => [k, `local-${randomBytes(8).toString("hex")}`])),
  );
}

/** Creates every planned data resource in the emulator. Dead-letter queues first: redrive names them. */
export async function provision(emulator: Pick<Emulator, "url">, topology: Topology): Promise<void> {
  const config = clientConfig(emulator, topology.region);
  const s3 = new S3Client({ ...config, forcePathStyle: true });
  const db = new DynamoDBClient(config);
  const sqs = new SQSClient(config);
  const sns = new SNSClient(config);
  const secrets = new SecretsManagerClient(config);
  try {
    await Promise.all(
      topology.buckets.map(async (bucket) => {
        await s3.send(
          new CreateBucketCommand({
            Bucket: bucket.name,
            CreateBucketConfiguration: { LocationConstraint: topology.region as "eu-central-1" },
          }),
        );
        if (bucket.versioned) {
          await s3.send(
            new PutBucketVersioningCommand({
              Bucket: bucket.name,
              VersioningConfiguration: { Status: "Enabled" },
            }),
          );
        }
      }),
    );
    await Promise.all(topology.tables.map((t) => createTable(db, t)));
    const deadLetters = new Set(
      topology.queues.flatMap((q) => (q.redrive ? [q.redrive.deadLetterTargetArn] : [])),
    );
    const ordered = [
      ...topology.queues.filter((q) => deadLetters.has(q.arn)),
      ...topology.queues.filter((q) => !deadLetters.has(q.arn)),
    ];
    for (const queue of ordered) {
      await sqs.send(
        new CreateQueueCommand({
          QueueName: queue.name,
          Attributes: {
            ...queue.attributes,
            ...(queue.redrive
              ? {
                  RedrivePolicy: JSON.stringify({
                    deadLetterTargetArn: queue.redrive.deadLetterTargetArn,
                    maxReceiveCount: queue.redrive.maxReceiveCount,
                  }),
                }
              : {}),
          },
        }),
      );
    }
    await Promise.all(topology.topics.map((t) => sns.send(new CreateTopicCommand({ Name: t.name }))));
    await Promise.all(
      topology.secrets.map((id) =>
        secrets.send(
          new CreateSecretCommand({
            // An ARN names the secret by its last segment minus the 6-character suffix Secrets Manager adds.
            Name: id.startsWith("arn:") ? id.split(":secret:")[1]?.replace(/-[A-Za-z0-9]{6}$/, "") : id,
            SecretString: localSecretValue(id, topology),
          }),
        ),
      ),
    );
  } finally {
    for (const client of [s3, db, sqs, sns, secrets]) client.destroy();
  }
}
