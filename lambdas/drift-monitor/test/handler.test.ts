import { CreateBucketCommand, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { InvalidEventError, logger, resetClients, resetEnvCache } from "@tradai/lambda-common";
import {
  createTopicProbe,
  metricMaxima,
  scheduledEvent,
  type TopicProbe,
} from "@tradai/lambda-common/testing";
import { TEST_REGION, useMoto } from "@tradai/testing";
import { handler } from "../src/handler";

const BUCKET = "tradai-test-artifacts";

const scheduled = scheduledEvent(new Date("2026-03-01T06:00:00Z"), "tradai-test-drift-monitor");

const uniform = { edges: [0, 25, 50, 75, 100], counts: [250, 250, 250, 250] };
const samples = (n: number, f: (i: number) => number) => Array.from({ length: n }, (_, i) => f(i));

describe("drift-monitor handler", () => {
  const moto = useMoto();
  let alertsProbe: TopicProbe;

  const put = (key: string, body: unknown) =>
    new S3Client({ forcePathStyle: true }).send(
      new PutObjectCommand({
        Bucket: BUCKET,
        Key: key,
        Body: typeof body === "string" ? body : JSON.stringify(body),
      }),
    );

  beforeEach(async () => {
    await moto().reset();
    resetClients();
    resetEnvCache();
    await new S3Client({ forcePathStyle: true }).send(
      new CreateBucketCommand({
        Bucket: BUCKET,
        CreateBucketConfiguration: { LocationConstraint: TEST_REGION },
      }),
    );
    alertsProbe = await createTopicProbe("tradai-test-alerts");
    Object.assign(process.env, {
      ARTIFACTS_BUCKET: BUCKET,
      ALERTS_TOPIC_ARN: alertsProbe.topicArn,
      DRIFT_MODELS: JSON.stringify(["btc-momentum", "eth-reversion"]),
      DRIFT_THRESHOLD: "0.2",
      ENVIRONMENT: "test",
    });
    // btc-momentum: the newest recent file has shifted (PSI 0.228); an older one matched the reference.
    await put("drift/btc-momentum/reference.json", { features: { rsi_14: uniform, volume_z: uniform } });
    await put("drift/btc-momentum/recent/2026-02-27.json", {
      features: { rsi_14: uniform, volume_z: uniform },
    });
    await put("drift/btc-momentum/recent/2026-02-28.json", {
      features: { rsi_14: { edges: uniform.edges, counts: [10, 20, 30, 40] }, volume_z: uniform },
    });
    // eth-reversion: raw samples, recent drawn from the same range.
    await put("drift/eth-reversion/reference.json", {
      features: { ret_1h: { samples: samples(200, (i) => i / 200) } },
    });
    await put("drift/eth-reversion/recent/2026-02-28.json", {
      features: { ret_1h: { samples: samples(100, (i) => (i + 0.5) / 100) } },
    });
  });

  it("scores the newest recent file per feature, publishes DriftScore and alerts on the drifted model only", async () => {
    const report = await handler(scheduled);

    const btc = report.models.find((m) => m.modelName === "btc-momentum");
    const eth = report.models.find((m) => m.modelName === "eth-reversion");
    expect(btc?.recentKey).toBe("drift/btc-momentum/recent/2026-02-28.json");
    expect(btc?.features.rsi_14).toBeCloseTo(0.2282174, 6);
    expect(btc?.features.volume_z).toBeCloseTo(0, 12);
    expect(btc?.drifted).toBe(true);
    expect(eth?.drifted).toBe(false);
    expect(eth?.maxPsi).toBeLessThan(0.05);
    expect(report.failures).toEqual([]);

    expect(await metricMaxima("DriftScore", { ModelName: "btc-momentum" })).toEqual([btc?.maxPsi]);
    expect(await metricMaxima("DriftScore", { ModelName: "eth-reversion" })).toEqual([eth?.maxPsi]);

    const alerts = await alertsProbe.notifications();
    expect(alerts).toHaveLength(1);
    expect(alerts[0]?.body).toMatchObject({
      severity: "warning",
      source: "drift-monitor",
      environment: "test",
      title: "Feature drift in btc-momentum",
    });
    expect(alerts[0]?.body.message).toContain("on rsi_14 (threshold 0.2)");
  });

  it("does not alert when nothing drifted", async () => {
    process.env.DRIFT_MODELS = JSON.stringify(["eth-reversion"]);
    const report = await handler(scheduled);
    expect(report.models.map((m) => m.drifted)).toEqual([false]);
    expect(await alertsProbe.notifications()).toEqual([]);
    expect(await metricMaxima("DriftScore", { ModelName: "eth-reversion" })).toHaveLength(1);
  });

  it("rejects an event that is not a scheduled event and writes nothing", async () => {
    const logged = jest.spyOn(logger, "error").mockImplementation(() => undefined);
    const bad = { ...scheduled, "detail-type": "Object Created", source: "aws.s3" };
    await expect(handler(bad)).rejects.toBeInstanceOf(InvalidEventError);
    await expect(handler(bad)).rejects.toThrow(/invalid EventBridge scheduled event: detail-type/);
    expect(logged).toHaveBeenCalledWith("drift-monitor failed", { error: expect.any(InvalidEventError) });
    logged.mockRestore();
    expect(await metricMaxima("DriftScore", { ModelName: "btc-momentum" })).toEqual([]);
    expect(await alertsProbe.notifications()).toEqual([]);
  });

  it("fails naming the model whose data is missing or malformed, after publishing the others", async () => {
    process.env.DRIFT_MODELS = JSON.stringify(["btc-momentum", "no-data", "broken"]);
    await put("drift/no-data/reference.json", { features: { f: uniform } });
    await put("drift/broken/reference.json", "{ not json");
    await put("drift/broken/recent/2026-02-28.json", { features: { f: uniform } });

    const run = handler(scheduled);
    await expect(run).rejects.toThrow(
      /no-data \(no recent distribution under s3:\/\/tradai-test-artifacts\/drift\/no-data\/recent\/\)/,
    );
    await expect(run).rejects.toThrow(
      /broken \(s3:\/\/tradai-test-artifacts\/drift\/broken\/reference.json is not valid JSON/,
    );
    expect(await metricMaxima("DriftScore", { ModelName: "btc-momentum" })).toHaveLength(1);
    expect(await metricMaxima("DriftScore", { ModelName: "broken" })).toEqual([]);
  });

  it("fails on bad configuration before reading anything", async () => {
    process.env.DRIFT_THRESHOLD = "-1";
    await expect(handler(scheduled)).rejects.toThrow(/- DRIFT_THRESHOLD: expected a positive number/);
  });
});
