import * as http from "node:http";
import type { AddressInfo } from "node:net";
import {
  CreateClusterCommand,
  CreateServiceCommand,
  ECSClient,
  RegisterTaskDefinitionCommand,
} from "@aws-sdk/client-ecs";
import { InvalidEventError, logger, resetClients, resetEnvCache } from "@tradai/lambda-common";
import {
  createTopicProbe,
  metricMaxima,
  scheduledEvent,
  type TopicProbe,
} from "@tradai/lambda-common/testing";
import { useMoto } from "@tradai/testing";
import { handler } from "../src/handler";

const CLUSTER = "tradai-test";

const scheduled = scheduledEvent(new Date("2026-03-01T12:00:00Z"), "tradai-test-health-check");

describe("health-check handler", () => {
  // moto reports this many running tasks for every service (its only knob for runningCount).
  const moto = useMoto({ settings: { MOTO_ECS_SERVICE_RUNNING: "1" } });
  let server: http.Server;
  let base: string;
  let alertsProbe: TopicProbe;
  const hanging = new Set<http.ServerResponse>();

  beforeAll(async () => {
    server = http.createServer((req, res) => {
      if (req.url === "/ok/health")
        res.writeHead(200, { "content-type": "application/json" }).end('{"status":"ok"}');
      else if (req.url === "/fail/health") res.writeHead(500).end("database unreachable");
      else hanging.add(res); // never answers
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    for (const res of hanging) res.destroy();
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  beforeEach(async () => {
    await moto().reset();
    resetClients();
    resetEnvCache();
    const client = new ECSClient({});
    await client.send(new CreateClusterCommand({ clusterName: CLUSTER }));
    const { taskDefinition } = await client.send(
      new RegisterTaskDefinitionCommand({
        family: "tradai-test-service",
        containerDefinitions: [{ name: "app", image: "app:1", memory: 512 }],
      }),
    );
    for (const [name, desired] of [
      ["backend-api", 1],
      ["data-collection", 1],
      ["strategy-service", 1],
      ["mlflow", 2],
    ] as const) {
      await client.send(
        new CreateServiceCommand({
          cluster: CLUSTER,
          serviceName: name,
          taskDefinition: taskDefinition?.taskDefinitionArn,
          desiredCount: desired,
        }),
      );
    }
    alertsProbe = await createTopicProbe("tradai-test-alerts");
    Object.assign(process.env, {
      ECS_CLUSTER: CLUSTER,
      ALERTS_TOPIC_ARN: alertsProbe.topicArn,
      // The answering endpoints are served by this test's own process: under a loaded machine its event
      // loop can stall for a few hundred ms, which must not make them look hung.
      HEALTH_CHECK_TIMEOUT_MS: "1000",
      ENVIRONMENT: "test",
      MONITORED_SERVICES: JSON.stringify([
        { service: "backend-api", healthUrl: `${base}/ok/health` },
        { service: "data-collection", healthUrl: `${base}/fail/health` },
        { service: "strategy-service", healthUrl: `${base}/hang/health` },
        { service: "mlflow" },
        { service: "live-trading" },
      ]),
    });
  });

  it("combines ECS counts and health endpoints, publishes the metrics and alerts on the unhealthy ones", async () => {
    const report = await handler(scheduled);

    const byName = Object.fromEntries(report.services.map((s) => [s.service, s]));
    expect(Object.keys(byName).sort()).toEqual([
      "backend-api",
      "data-collection",
      "live-trading",
      "mlflow",
      "strategy-service",
    ]);
    expect(byName["backend-api"]).toMatchObject({
      healthy: true,
      reasons: [],
      probe: { ok: true, status: 200 },
    });
    expect(byName["data-collection"]?.reasons).toEqual([`health endpoint ${base}/fail/health: HTTP 500`]);
    expect(byName["strategy-service"]?.reasons).toEqual([
      `health endpoint ${base}/hang/health: no answer within 1000 ms`,
    ]);
    expect(byName.mlflow?.reasons).toEqual(["ECS: 1 of 2 desired tasks running"]);
    expect(byName["live-trading"]?.healthy).toBe(false);
    expect(byName["live-trading"]?.reasons[0]).toMatch(
      /^ECS: service live-trading .*in cluster tradai-test$/,
    );
    expect(report).toMatchObject({ healthy: 1, unhealthy: 4 });

    expect(await metricMaxima("HealthyServices")).toEqual([1]);
    expect(await metricMaxima("UnhealthyServices")).toEqual([4]);
    expect(await metricMaxima("ServiceHealthy", { ServiceName: "backend-api" })).toEqual([1]);
    expect(await metricMaxima("ServiceHealthy", { ServiceName: "mlflow" })).toEqual([0]);

    const alerts = await alertsProbe.notifications();
    expect(alerts).toHaveLength(1);
    expect(alerts[0]?.body).toMatchObject({
      severity: "critical",
      source: "health-check",
      title: "Unhealthy services: data-collection, live-trading, mlflow, strategy-service",
    });
  });

  it("sends no alert when everything is healthy", async () => {
    const client = new ECSClient({});
    await client.send(new CreateClusterCommand({ clusterName: "tradai-small" }));
    const { taskDefinition } = await client.send(
      new RegisterTaskDefinitionCommand({
        family: "t",
        containerDefinitions: [{ name: "app", image: "app:1", memory: 512 }],
      }),
    );
    await client.send(
      new CreateServiceCommand({
        cluster: "tradai-small",
        serviceName: "backend-api",
        taskDefinition: taskDefinition?.taskDefinitionArn,
        desiredCount: 1,
      }),
    );
    process.env.ECS_CLUSTER = "tradai-small";
    process.env.MONITORED_SERVICES = JSON.stringify([
      { service: "backend-api", healthUrl: `${base}/ok/health` },
    ]);

    const report = await handler(scheduled);

    expect(report).toMatchObject({ cluster: "tradai-small", healthy: 1, unhealthy: 0 });
    expect(await metricMaxima("UnhealthyServices")).toEqual([0]);
    expect(await metricMaxima("ServiceHealthy", { ServiceName: "backend-api" })).toEqual([1]);
    expect(await alertsProbe.notifications()).toEqual([]);
  });

  it("rejects a bad event with a logged error and writes nothing", async () => {
    const logged = jest.spyOn(logger, "error").mockImplementation(() => undefined);
    await expect(handler({ Records: [] })).rejects.toBeInstanceOf(InvalidEventError);
    expect(logged).toHaveBeenCalledWith("health-check failed", { error: expect.any(InvalidEventError) });
    logged.mockRestore();
    expect(await metricMaxima("HealthyServices")).toEqual([]);
    expect(await alertsProbe.notifications()).toEqual([]);
  });

  it("fails without metrics when ECS cannot be asked", async () => {
    process.env.ECS_CLUSTER = "no-such-cluster";
    await expect(handler(scheduled)).rejects.toThrow(/ClusterNotFound|not found/i);
    expect(await metricMaxima("HealthyServices")).toEqual([]);
  });

  it("rejects a malformed MONITORED_SERVICES naming the variable", async () => {
    process.env.MONITORED_SERVICES = JSON.stringify([{ service: "x", healthUrl: "ftp://x" }]);
    await expect(handler(scheduled)).rejects.toThrow(
      /- MONITORED_SERVICES\.0\.healthUrl: expected an http\(s\) URL/,
    );
  });
});
