import { ConditionalCheckFailedException } from "@aws-sdk/client-dynamodb";
import {
  DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  ScanCommand,
  UpdateCommand,
} from "@aws-sdk/lib-dynamodb";
import type { StrategyDefinition } from "@tradai/contracts";
import { HttpError } from "@tradai/service-common";

/**
 * An item of the strategies table. The definition is stored under `definition` because its own semantic
 * `version` (a string) would otherwise collide with the item's numeric optimistic-concurrency `version`.
 */
export interface StrategyItem {
  strategyId: string;
  definition: StrategyDefinition;
  version: number;
  createdAt: string;
  updatedAt: string;
  createdBy?: string;
  updatedBy?: string;
}

export interface StrategyPage {
  items: StrategyItem[];
  nextToken?: string;
}

function encodeToken(key: Record<string, unknown> | undefined): string | undefined {
  return key ? Buffer.from(JSON.stringify(key)).toString("base64url") : undefined;
}

function decodeToken(token: string): Record<string, unknown> {
  try {
    const key: unknown = JSON.parse(Buffer.from(token, "base64url").toString("utf8"));
    if (
      typeof key === "object" &&
      key !== null &&
      typeof (key as { strategyId?: unknown }).strategyId === "string"
    ) {
      return key as Record<string, unknown>;
    }
  } catch {
    // fall through
  }
  throw new HttpError(400, "request validation failed", {
    fields: [{ field: "query.nextToken", message: "invalid page token" }],
  });
}

/** The strategies table; every write is conditional so concurrent writers cannot overwrite each other. */
export class StrategyStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async create(definition: StrategyDefinition, by: string): Promise<StrategyItem> {
    const at = this.now().toISOString();
    const item: StrategyItem = {
      strategyId: definition.id,
      definition,
      version: 1,
      createdAt: at,
      updatedAt: at,
      createdBy: by,
    };
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.table,
          Item: item,
          ConditionExpression: "attribute_not_exists(strategyId)",
        }),
      );
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) {
        throw new HttpError(409, `strategy ${definition.id} already exists`);
      }
      throw error;
    }
    return item;
  }

  async get(strategyId: string): Promise<StrategyItem | undefined> {
    const result = await this.db.send(
      new GetCommand({ TableName: this.table, Key: { strategyId }, ConsistentRead: true }),
    );
    return result.Item as StrategyItem | undefined;
  }

  async list(limit: number, nextToken?: string): Promise<StrategyPage> {
    const result = await this.db.send(
      new ScanCommand({
        TableName: this.table,
        Limit: limit,
        ExclusiveStartKey: nextToken ? decodeToken(nextToken) : undefined,
      }),
    );
    const items = (result.Items ?? []) as StrategyItem[];
    const token = encodeToken(result.LastEvaluatedKey);
    return token ? { items, nextToken: token } : { items };
  }

  /**
   * Replaces the definition when the stored item still has `expectedVersion` (the caller's `If-Match`, or
   * the version just read): 404 when absent, 409 when someone else wrote in between.
   */
  async update(definition: StrategyDefinition, by: string, expectedVersion?: number): Promise<StrategyItem> {
    const current = await this.get(definition.id);
    if (!current) throw new HttpError(404, `strategy ${definition.id} not found`);
    const expected = expectedVersion ?? current.version;
    try {
      const result = await this.db.send(
        new UpdateCommand({
          TableName: this.table,
          Key: { strategyId: definition.id },
          UpdateExpression:
            "SET #definition = :definition, #version = :next, updatedAt = :at, updatedBy = :by",
          ConditionExpression: "attribute_exists(strategyId) AND #version = :expected",
          ExpressionAttributeNames: { "#definition": "definition", "#version": "version" },
          ExpressionAttributeValues: {
            ":definition": definition,
            ":next": expected + 1,
            ":expected": expected,
            ":at": this.now().toISOString(),
            ":by": by,
          },
          ReturnValues: "ALL_NEW",
        }),
      );
      return result.Attributes as StrategyItem;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) {
        throw new HttpError(409, `strategy ${definition.id} was modified (expected version ${expected})`);
      }
      throw error;
    }
  }

  async delete(strategyId: string): Promise<void> {
    try {
      await this.db.send(
        new DeleteCommand({
          TableName: this.table,
          Key: { strategyId },
          ConditionExpression: "attribute_exists(strategyId)",
        }),
      );
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException)
        throw new HttpError(404, `strategy ${strategyId} not found`);
      throw error;
    }
  }
}
