/** Property: malformed trigger events are rejected with InvalidEventError before any alert or metric. */
import { CreateTableCommand, DynamoDBClient } from "@aws-sdk/client-dynamodb";
import {
  createTopicProbe,
  itRejectsMalformedScheduledEvents,
  quietLogger,
  useTestEnv,
} from "@tradai/lambda-common/testing";
import { useMoto } from "@tradai/testing";
import { handler } from "../src/handler";

describe("trading-heartbeat-check: bad input", () => {
  useMoto();
  quietLogger();
  useTestEnv(async () => {
    const table = "tradai-test-heartbeats";
    const db = new DynamoDBClient({});
    await db.send(
      new CreateTableCommand({
        TableName: table,
        KeySchema: [{ AttributeName: "serviceId", KeyType: "HASH" }],
        AttributeDefinitions: [{ AttributeName: "serviceId", AttributeType: "S" }],
        BillingMode: "PAY_PER_REQUEST",
      }),
    );
    db.destroy();
    const alerts = await createTopicProbe("tradai-test-alerts");
    // A valid run alerts (the expected live trader has no heartbeat) and puts StaleHeartbeats.
    return {
      HEARTBEATS_TABLE: table,
      ALERTS_TOPIC_ARN: alerts.topicArn,
      EXPECTED_HEARTBEAT_SERVICES: JSON.stringify(["live-trading"]),
      ENVIRONMENT: "test",
    };
  });

  itRejectsMalformedScheduledEvents((event) => handler(event));
});
