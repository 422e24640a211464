/** Fixture of the Lambdas that move MLflow's champion alias: environment, tables, a document client. */
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient, ScanCommand } from "@aws-sdk/lib-dynamodb";
import { setTestEnv } from "./env";
import { createIdempotencyTable, createModelDeploymentsTable } from "./tables";

export interface ChampionMoverTables {
  deployments: string;
  idempotency: string;
}

/**
 * Jest helper: before the file's tests, points the environment at `mlflowUrl()` and the two tables and
 * creates them in the emulator; afterwards restores the environment. Returns a scan of a table's items.
 */
export function useChampionMoverFixture(
  mlflowUrl: () => string,
  tables: ChampionMoverTables,
): (table: string) => Promise<Record<string, unknown>[]> {
  let restore: () => void = () => {};
  let db: DynamoDBDocumentClient | undefined;
  beforeAll(async () => {
    restore = setTestEnv({
      MLFLOW_TRACKING_URI: mlflowUrl(),
      MODEL_DEPLOYMENTS_TABLE: tables.deployments,
      IDEMPOTENCY_TABLE: tables.idempotency,
    });
    await createModelDeploymentsTable(tables.deployments);
    await createIdempotencyTable(tables.idempotency);
    db = DynamoDBDocumentClient.from(new DynamoDBClient({}));
  });
  afterAll(() => {
    db?.destroy();
    restore();
  });
  return async (table) => {
    if (!db) throw new Error("useChampionMoverFixture: only inside tests (after beforeAll)");
    return (await db.send(new ScanCommand({ TableName: table }))).Items ?? [];
  };
}
