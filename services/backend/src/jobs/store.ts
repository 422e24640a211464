import { ConditionalCheckFailedException } from "@aws-sdk/client-dynamodb";
import {
  DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  UpdateCommand,
} from "@aws-sdk/lib-dynamodb";
import type { JobRecord } from "@tradai/contracts";

/** The jobs table, as far as the API writes it: creating PENDING jobs and undoing them. */
export class JobStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    readonly table: string,
  ) {}

  /** Writes a new job; fails if the id exists (never overwrites). */
  async create(job: JobRecord): Promise<void> {
    await this.db.send(
      new PutCommand({
        TableName: this.table,
        Item: job,
        ConditionExpression: "attribute_not_exists(jobId)",
      }),
    );
  }

  async get(jobId: string): Promise<JobRecord | undefined> {
    const result = await this.db.send(
      new GetCommand({ TableName: this.table, Key: { jobId }, ConsistentRead: true }),
    );
    return result.Item as JobRecord | undefined;
  }

  /** Deletes a job only while it is still the untouched PENDING record this API wrote. */
  async deleteIfUntouched(jobId: string): Promise<boolean> {
    try {
      await this.db.send(
        new DeleteCommand({
          TableName: this.table,
          Key: { jobId },
          ConditionExpression: "#status = :pending AND #version = :one",
          ExpressionAttributeNames: { "#status": "status", "#version": "version" },
          ExpressionAttributeValues: { ":pending": "PENDING", ":one": 1 },
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  /** Marks a PENDING job FAILED (the fallback when it cannot be deleted), following the version rule. */
  async failPending(jobId: string, reason: string, at: string): Promise<void> {
    await this.db.send(
      new UpdateCommand({
        TableName: this.table,
        Key: { jobId },
        UpdateExpression:
          "SET #status = :failed, #version = #version + :one, updatedAt = :at, #error = :reason",
        ConditionExpression: "#status = :pending",
        ExpressionAttributeNames: { "#status": "status", "#version": "version", "#error": "error" },
        ExpressionAttributeValues: {
          ":failed": "FAILED",
          ":pending": "PENDING",
          ":one": 1,
          ":at": at,
          ":reason": reason,
        },
      }),
    );
  }
}
