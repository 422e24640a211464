/**
 * DynamoDB tables created exactly as the persistent layer declares them in docs/runtime-contracts.md, so
 * tests exercise the real key schema.
 */
import { CreateTableCommand, type CreateTableCommandInput, DynamoDBClient } from "@aws-sdk/client-dynamodb";

async function createTable(input: CreateTableCommandInput): Promise<void> {
  const client = new DynamoDBClient({});
  try {
    await client.send(new CreateTableCommand({ BillingMode: "PAY_PER_REQUEST", ...input }));
  } finally {
    client.destroy();
  }
}

/** The jobs table comes with its store (@tradai/aws-clients). */
export { createJobsTable } from "@tradai/aws-clients/testing";

/** Creates the model-deployments table (hash `modelName`, range `deployedAt`). */
export function createModelDeploymentsTable(tableName: string): Promise<void> {
  return createTable({
    TableName: tableName,
    AttributeDefinitions: [
      { AttributeName: "modelName", AttributeType: "S" },
      { AttributeName: "deployedAt", AttributeType: "S" },
    ],
    KeySchema: [
      { AttributeName: "modelName", KeyType: "HASH" },
      { AttributeName: "deployedAt", KeyType: "RANGE" },
    ],
  });
}

/** Creates the idempotency table (hash `id`: the Powertools persistence layer's defaults). */
export function createIdempotencyTable(tableName: string): Promise<void> {
  return createTable({
    TableName: tableName,
    AttributeDefinitions: [{ AttributeName: "id", AttributeType: "S" }],
    KeySchema: [{ AttributeName: "id", KeyType: "HASH" }],
  });
}
