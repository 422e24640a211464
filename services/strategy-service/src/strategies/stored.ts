import { type DynamoDBDocumentClient, GetCommand } from "@aws-sdk/lib-dynamodb";
import { type StrategyDefinition, validateStrategy } from "@tradai/contracts";
import { DefinitionError } from "./definition";

/** Reads strategy definitions the backend stored (`STRATEGIES_TABLE`, item attribute `definition`). */
export class StoredStrategies {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  /** The validated definition, `undefined` when no such strategy is stored. */
  async get(strategyId: string): Promise<{ definition: StrategyDefinition; version: number } | undefined> {
    const result = await this.db.send(
      new GetCommand({ TableName: this.table, Key: { strategyId }, ConsistentRead: true }),
    );
    if (!result.Item) return undefined;
    const checked = validateStrategy(result.Item.definition);
    if (!checked.valid) {
      throw new DefinitionError(
        `stored strategy ${strategyId} is invalid: ${checked.errors.map((e) => `${e.path}: ${e.message}`).join("; ")}`,
      );
    }
    return { definition: checked.strategy, version: Number(result.Item.version) };
  }
}
