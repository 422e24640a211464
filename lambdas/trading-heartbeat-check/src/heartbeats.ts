/** Reading every heartbeat from the heartbeats table (one small item per trading service instance). */
import { ScanCommand } from "@aws-sdk/lib-dynamodb";
import { dynamo } from "@tradai/lambda-common";
import type { HeartbeatLike } from "./stale";

/** All heartbeats; a missing or non-string `lastBeatAt` is returned as "" (and so judged stale). */
export async function scanHeartbeats(tableName: string): Promise<HeartbeatLike[]> {
  const items: HeartbeatLike[] = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await dynamo().send(
      new ScanCommand({
        TableName: tableName,
        ProjectionExpression: "serviceId, lastBeatAt",
        ConsistentRead: true,
        ExclusiveStartKey: startKey,
      }),
    );
    for (const item of page.Items ?? []) {
      items.push({
        serviceId: String(item.serviceId),
        lastBeatAt: typeof item.lastBeatAt === "string" ? item.lastBeatAt : "",
      });
    }
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return items;
}
