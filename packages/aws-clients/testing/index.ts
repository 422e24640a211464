/** `@tradai/aws-clients/testing`: the jobs table as the persistent layer declares it (docs/runtime-contracts.md). */
import { CreateTableCommand, DynamoDBClient, type DynamoDBClientConfig } from "@aws-sdk/client-dynamodb";
import { STATUS_INDEX } from "../src/job-store";

/**
 * Creates the jobs table (hash `jobId`, GSI `status-index` on `status` + `updatedAt`), so tests exercise
 * the real key schema. `config` reaches the emulator (default: region and endpoint from the environment).
 */
export async function createJobsTable(tableName: string, config: DynamoDBClientConfig = {}): Promise<void> {
  const client = new DynamoDBClient(config);
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
            IndexName: STATUS_INDEX,
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
export * from "./images";
