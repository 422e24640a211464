import { useMoto } from "@tradai/testing";
import { publishAlert, resetClients } from "../src/index";
import { createTopicProbe, type TopicProbe } from "../testing/index";

describe("publishAlert", () => {
  useMoto();
  let probe: TopicProbe;

  beforeAll(async () => {
    resetClients();
    probe = await createTopicProbe("tradai-test-alerts");
  });
  afterAll(() => resetClients());

  it("publishes an AlertMessage with source, environment, timestamp, details, subject and attributes", async () => {
    const id = await publishAlert(
      probe.topicArn,
      "health-check",
      { severity: "critical", title: "mlflow unhealthy", message: "0/1 tasks running", details: { n: 0 } },
      "test",
      new Date("2026-03-01T06:00:00.000Z"),
    );

    expect(id).toEqual(expect.any(String));
    expect(await probe.notifications()).toEqual([
      {
        subject: "[critical] test: mlflow unhealthy",
        attributes: { severity: "critical", source: "health-check" },
        body: {
          severity: "critical",
          source: "health-check",
          title: "mlflow unhealthy",
          message: "0/1 tasks running",
          environment: "test",
          timestamp: "2026-03-01T06:00:00.000Z",
          details: { n: 0 },
        },
      },
    ]);
  });

  it("leaves out environment and details when there are none", async () => {
    await publishAlert(
      probe.topicArn,
      "drift-monitor",
      { severity: "info", title: "t", message: "m" },
      undefined,
    );

    const [received] = await probe.notifications();
    expect(received?.subject).toBe("[info] t");
    expect(Object.keys(received?.body ?? {}).sort()).toEqual([
      "message",
      "severity",
      "source",
      "timestamp",
      "title",
    ]);
  });

  it("makes the subject printable ASCII of at most 100 characters", async () => {
    await publishAlert(
      probe.topicArn,
      "orphan-scanner",
      { severity: "warning", title: `Drift ≥ 0.2 in ${"x".repeat(120)}`, message: "m" },
      "dev",
    );

    const [received] = await probe.notifications();
    expect(received?.subject).toBe(`[warning] dev: Drift ? 0.2 in ${"x".repeat(67)}...`);
    expect(received?.subject).toHaveLength(100);
    // The message keeps the title as given.
    expect(received?.body.title).toBe(`Drift ≥ 0.2 in ${"x".repeat(120)}`);
  });
});
