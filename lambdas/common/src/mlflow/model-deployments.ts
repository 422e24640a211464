/**
 * The model-deployments table (docs/runtime-contracts.md): one item per promotion or rollback of a
 * model's `champion` alias, keyed by `modelName` + `deployedAt`. promote-model and model-rollback write
 * it; model-rollback replays it to find the version to restore.
 */
import { ConditionalCheckFailedException } from "@aws-sdk/client-dynamodb";
import { type DynamoDBDocumentClient, PutCommand, QueryCommand } from "@aws-sdk/lib-dynamodb";
import { ModelDeployment } from "@tradai/contracts";
import { dynamo } from "../clients";

export type DeploymentAction = ModelDeployment["action"];

/** What a caller records; the store sets `deployedAt`. */
export type NewDeployment = Omit<ModelDeployment, "deployedAt">;

export interface ModelDeploymentStoreOptions {
  tableName: string;
  client?: DynamoDBDocumentClient;
  now?: () => Date;
}

export class ModelDeploymentStore {
  private readonly tableName: string;
  private readonly client: DynamoDBDocumentClient;
  private readonly now: () => Date;

  constructor(options: ModelDeploymentStoreOptions) {
    this.tableName = options.tableName;
    this.client = options.client ?? dynamo();
    this.now = options.now ?? (() => new Date());
  }

  /** Every recorded deployment of `modelName`, oldest first. */
  async history(modelName: string): Promise<ModelDeployment[]> {
    const items: ModelDeployment[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await this.client.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: "modelName = :m",
          ExpressionAttributeValues: { ":m": modelName },
          ScanIndexForward: true,
          ConsistentRead: true,
          ExclusiveStartKey: startKey,
        }),
      );
      for (const item of page.Items ?? []) items.push(ModelDeployment.parse(normalise(item)));
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    return items;
  }

  /** The record a job already wrote for `action`, if any (how a retried invocation finds its own work). */
  async findByJob(
    modelName: string,
    jobId: string,
    action: DeploymentAction,
  ): Promise<ModelDeployment | undefined> {
    const all = await this.history(modelName);
    return all.find((d) => d.jobId === jobId && d.action === action);
  }

  /**
   * Appends a record at the current time. The write is conditional on the key being new, so two records
   * in the same millisecond cannot overwrite each other: the later one moves to the next millisecond.
   */
  async record(deployment: NewDeployment): Promise<ModelDeployment> {
    let at = this.now().getTime();
    for (let attempt = 0; attempt < 20; attempt += 1, at += 1) {
      const item = ModelDeployment.parse({ ...deployment, deployedAt: new Date(at).toISOString() });
      try {
        await this.client.send(
          new PutCommand({
            TableName: this.tableName,
            Item: item,
            ConditionExpression: "attribute_not_exists(deployedAt)",
          }),
        );
        return item;
      } catch (error) {
        if (!isConditionFailure(error)) throw error;
      }
    }
    throw new Error(`model-deployments: could not find a free deployedAt slot for ${deployment.modelName}`);
  }
}

/** DynamoDB drops nothing, but a `previousVersion` written as absent must read back as null. */
function normalise(item: Record<string, unknown>): Record<string, unknown> {
  return { ...item, previousVersion: item.previousVersion ?? null };
}

function isConditionFailure(error: unknown): boolean {
  return (
    error instanceof ConditionalCheckFailedException ||
    (error instanceof Error && error.name === "ConditionalCheckFailedException")
  );
}

/**
 * Replays a model's history (oldest first) into the stack of champion versions: a promotion pushes its
 * version (seeding the stack with its `previousVersion` when the history starts mid-way), a rollback pops
 * the top. The last element is the current champion; the one below it is what a rollback restores.
 * Walking a stack rather than reading the newest record's `previousVersion` makes two rollbacks in a row
 * go back two promotions instead of undoing the first rollback.
 */
export function championStack(history: readonly ModelDeployment[]): string[] {
  const stack: string[] = [];
  for (const d of history) {
    if (d.action === "promote") {
      if (stack.length === 0 && d.previousVersion !== null) stack.push(d.previousVersion);
      if (stack[stack.length - 1] !== d.version) stack.push(d.version);
    } else {
      // A rollback from `previousVersion` to `version`.
      if (stack[stack.length - 1] === d.previousVersion) stack.pop();
      if (stack[stack.length - 1] !== d.version) {
        // History that does not match (an alias moved by hand): trust the recorded target.
        stack.push(d.version);
      }
    }
  }
  return stack;
}
