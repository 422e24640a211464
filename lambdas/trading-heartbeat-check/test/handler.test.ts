import { CreateTableCommand, DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient, PutCommand } from "@aws-sdk/lib-dynamodb";
import { InvalidEventError, logger, resetClients, resetEnvCache } from "@tradai/lambda-common";
import {
  createTopicProbe,
  metricMaxima,
  scheduledEvent,
  type TopicProbe,
} from "@tradai/lambda-common/testing";
import { useMoto } from "@tradai/testing";
import { handler } from "../src/handler";

const TABLE = "tradai-test-heartbeats";

const scheduled = scheduledEvent(new Date("2026-03-01T12:00:00Z"), "tradai-test-trading-heartbeat-check");

const secondsAgo = (s: number) => new Date(Date.now() - s * 1000).toISOString();

describe("trading-heartbeat-check handler", () => {
  const moto = useMoto();
  let alertsProbe: TopicProbe;

  const beat = (serviceId: string, lastBeatAt: string) =>
    DynamoDBDocumentClient.from(new DynamoDBClient({})).send(
      new PutCommand({ TableName: TABLE, Item: { serviceId, lastBeatAt, mode: "dry-run" } }),
    );

  beforeEach(async () => {
    await moto().reset();
    resetClients();
    resetEnvCache();
    await new DynamoDBClient({}).send(
      new CreateTableCommand({
        TableName: TABLE,
        KeySchema: [{ AttributeName: "serviceId", KeyType: "HASH" }],
        AttributeDefinitions: [{ AttributeName: "serviceId", AttributeType: "S" }],
        BillingMode: "PAY_PER_REQUEST",
      }),
    );
    alertsProbe = await createTopicProbe("tradai-test-alerts");
    Object.assign(process.env, {
      HEARTBEATS_TABLE: TABLE,
      ALERTS_TOPIC_ARN: alertsProbe.topicArn,
      HEARTBEAT_STALE_SECONDS: "300",
      EXPECTED_HEARTBEAT_SERVICES: "[]",
      ENVIRONMENT: "test",
    });
  });

  it("alerts with the stale services and counts them in StaleHeartbeats", async () => {
    await beat("dry-run-trading", secondsAgo(10));
    await beat("live-trading", secondsAgo(3600));

    const report = await handler(scheduled);

    expect(report.checked).toBe(2);
    expect(report.stale.map((s) => s.serviceId)).toEqual(["live-trading"]);
    expect(report.stale[0]?.ageSeconds).toBeGreaterThanOrEqual(3600);
    expect(await metricMaxima("StaleHeartbeats")).toEqual([1]);
    const alerts = await alertsProbe.notifications();
    expect(alerts).toHaveLength(1);
    expect(alerts[0]?.subject).toBe("[critical] test: Stale trading heartbeat: live-trading");
    expect(alerts[0]?.body).toMatchObject({
      severity: "critical",
      source: "trading-heartbeat-check",
      environment: "test",
      details: { staleSeconds: 300, stale: [{ serviceId: "live-trading" }] },
    });
  });

  it("puts StaleHeartbeats = 0 and sends no alert when every beat is fresh", async () => {
    await beat("dry-run-trading", secondsAgo(5));
    await beat("live-trading", secondsAgo(60));
    const report = await handler(scheduled);
    expect(report.stale).toEqual([]);
    expect(await metricMaxima("StaleHeartbeats")).toEqual([0]);
    expect(await alertsProbe.notifications()).toEqual([]);
  });

  it("alerts when an expected service has no heartbeat item at all", async () => {
    await beat("dry-run-trading", secondsAgo(5));
    process.env.EXPECTED_HEARTBEAT_SERVICES = JSON.stringify(["dry-run-trading", "live-trading"]);
    const report = await handler(scheduled);
    expect(report.stale).toEqual([
      { serviceId: "live-trading", lastBeatAt: "", ageSeconds: null, missing: true },
    ]);
    expect(await metricMaxima("StaleHeartbeats")).toEqual([1]);
    const alerts = await alertsProbe.notifications();
    expect(alerts[0]?.body.message).toBe(
      "No heartbeat within 300 s:\nlive-trading: no heartbeat item at all",
    );
  });

  it("rejects a bad event with a logged error and writes nothing", async () => {
    await beat("live-trading", secondsAgo(3600));
    const logged = jest.spyOn(logger, "error").mockImplementation(() => undefined);
    await expect(
      handler({ "detail-type": "Scheduled Event", source: "aws.events", time: "noon" }),
    ).rejects.toBeInstanceOf(InvalidEventError);
    expect(logged).toHaveBeenCalledWith("trading-heartbeat-check failed", {
      error: expect.any(InvalidEventError),
    });
    logged.mockRestore();
    expect(await metricMaxima("StaleHeartbeats")).toEqual([]);
    expect(await alertsProbe.notifications()).toEqual([]);
  });

  it("fails without a metric or alert when the table cannot be read", async () => {
    process.env.HEARTBEATS_TABLE = "tradai-test-missing";
    await expect(handler(scheduled)).rejects.toThrow(/not found|ResourceNotFound|non-existent/i);
    expect(await metricMaxima("StaleHeartbeats")).toEqual([]);
    expect(await alertsProbe.notifications()).toEqual([]);
  });
});
