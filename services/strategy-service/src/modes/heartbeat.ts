import { type DynamoDBDocumentClient, PutCommand } from "@aws-sdk/lib-dynamodb";
import { Heartbeat } from "@tradai/contracts";

/** Writes this instance's heartbeat item (one item per service id, overwritten on every beat). */
export class HeartbeatWriter {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
    private readonly ttlSeconds: number,
  ) {}

  async beat(beat: Omit<Heartbeat, "lastBeatAt" | "expiresAt">, at: Date): Promise<Heartbeat> {
    const item = Heartbeat.parse({
      ...beat,
      lastBeatAt: at.toISOString(),
      expiresAt: Math.floor(at.getTime() / 1000) + this.ttlSeconds,
    });
    await this.db.send(new PutCommand({ TableName: this.table, Item: item }));
    return item;
  }
}
