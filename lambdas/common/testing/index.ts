/**
 * `@tradai/lambda-common/testing`: emulator fixtures for Lambda tests. Tables are created exactly as the
 * persistent layer declares them in docs/runtime-contracts.md, so tests exercise the real key schema.
 */
import { CreateTableCommand, DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { resetClients } from "../src/clients";
import { resetEnvCache } from "../src/env";

/** Creates the jobs table (hash `jobId`, GSI `status-index` on `status` + `updatedAt`). */
export async function createJobsTable(tableName: string): Promise<void> {
  const client = new DynamoDBClient({});
  try {
    await client.send(
      new CreateTableCommand({
        TableName: tableName,
        BillingMode: "PAY_PER_REQUEST",
        AttributeDefinitions: [
          { AttributeName: "jobId", AttributeType: "S" },
          { AttributeName: "status", AttributeType: "S" },
          { AttributeName: "updatedAt", AttributeType: "S" },
        ],
        KeySchema: [{ AttributeName: "jobId", KeyType: "HASH" }],
        GlobalSecondaryIndexes: [
          {
            IndexName: "status-index",
            KeySchema: [
              { AttributeName: "status", KeyType: "HASH" },
              { AttributeName: "updatedAt", KeyType: "RANGE" },
            ],
            Projection: { ProjectionType: "ALL" },
          },
        ],
      }),
    );
  } finally {
    client.destroy();
  }
}

/** Creates the model-deployments table (hash `modelName`, range `deployedAt`). */
export async function createModelDeploymentsTable(tableName: string): Promise<void> {
  const client = new DynamoDBClient({});
  try {
    await client.send(
      new CreateTableCommand({
        TableName: tableName,
        BillingMode: "PAY_PER_REQUEST",
        AttributeDefinitions: [
          { AttributeName: "modelName", AttributeType: "S" },
          { AttributeName: "deployedAt", AttributeType: "S" },
        ],
        KeySchema: [
          { AttributeName: "modelName", KeyType: "HASH" },
          { AttributeName: "deployedAt", KeyType: "RANGE" },
        ],
      }),
    );
  } finally {
    client.destroy();
  }
}

/**
 * Sets environment variables for a test and drops cached clients and configuration, so the next handler
 * call sees the emulator and the new values. Returns a function restoring the previous values.
 */
export function setTestEnv(values: Record<string, string | undefined>): () => void {
  const saved: Record<string, string | undefined> = {};
  for (const [key, value] of Object.entries(values)) {
    saved[key] = process.env[key];
    if (value === undefined) delete process.env[key];
    else process.env[key] = value;
  }
  resetClients();
  resetEnvCache();
  return () => {
    for (const [key, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
    resetClients();
    resetEnvCache();
  };
}

export * from "./events";
export * from "./metrics";
export * from "./topics";
