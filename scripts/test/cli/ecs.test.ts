/** `tradai ecs ...` against the local AWS emulator. */
import {
  CreateClusterCommand,
  CreateServiceCommand,
  DescribeServicesCommand,
  ECSClient,
  RegisterTaskDefinitionCommand,
} from "@aws-sdk/client-ecs";
import { TEST_REGION, useMoto } from "@tradai/testing";
import { recentEvents, type ServiceStatus } from "../../src/cli/aws/ecs";
import { runCli } from "../../src/cli/program";
import { type TestContext, testContext } from "./helpers";

const moto = useMoto();
let ecs: ECSClient;

async function createService(cluster: string, name: string, taskDefinition: string): Promise<void> {
  await ecs.send(new CreateServiceCommand({ cluster, serviceName: name, taskDefinition, desiredCount: 2 }));
}

async function primaryDeployment(cluster: string, service: string): Promise<string | undefined> {
  const result = await ecs.send(new DescribeServicesCommand({ cluster, services: [service] }));
  return result.services?.[0]?.deployments?.find((d) => d.status === "PRIMARY")?.id;
}

beforeAll(async () => {
  ecs = new ECSClient({ region: TEST_REGION, endpoint: moto().url });
  const td = await ecs.send(
    new RegisterTaskDefinitionCommand({
      family: "strategy-service",
      containerDefinitions: [{ name: "strategy-service", image: "strategy-service:latest", memory: 512 }],
    }),
  );
  const arn = td.taskDefinition?.taskDefinitionArn ?? "";
  await ecs.send(new CreateClusterCommand({ clusterName: "tradai-dev-cluster" }));
  for (const service of ["backend-api", "strategy-service", "dry-run-trading", "live-trading"]) {
    await createService("tradai-dev-cluster", `tradai-dev-${service}`, arn);
  }
  await ecs.send(new CreateClusterCommand({ clusterName: "exported-cluster" }));
  await createService("exported-cluster", "exported-backend", arn);
});

async function run(ctx: TestContext, ...argv: string[]): Promise<number> {
  return runCli(argv, () => ctx, ctx.io);
}

describe("ecs status", () => {
  it("reports every service, MISSING for those ECS does not know, by the naming convention", async () => {
    const ctx = testContext();
    expect(await run(ctx, "ecs", "status", "dev", "--json")).toBe(0);
    const status = JSON.parse(ctx.io.stdout.join("\n")) as { cluster: string; services: ServiceStatus[] };
    expect(status.cluster).toBe("tradai-dev-cluster");
    const byName = Object.fromEntries(status.services.map((s) => [s.service, s]));
    expect(byName["backend-api"]).toMatchObject({
      name: "tradai-dev-backend-api",
      status: "ACTIVE",
      desired: 2,
    });
    expect(byName.mlflow).toMatchObject({ name: "tradai-dev-mlflow", status: "MISSING" });
    expect(status.services).toHaveLength(6);
    expect(ctx.io.stderr.join("\n")).toContain("using the naming convention");
  });

  it("uses the cluster and service names the compute stack exports", async () => {
    const ctx = testContext();
    ctx.fake.outputs.set("compute", {
      cluster: {
        value: { name: "exported-cluster", arn: "arn:aws:ecs:::cluster/exported-cluster" },
        secret: false,
      },
      services: { value: { "backend-api": { name: "exported-backend" } }, secret: false },
    });
    expect(await run(ctx, "ecs", "status", "dev", "--json")).toBe(0);
    const status = JSON.parse(ctx.io.stdout.join("\n")) as { cluster: string; services: ServiceStatus[] };
    expect(status.cluster).toBe("exported-cluster");
    expect(status.services.find((s) => s.service === "backend-api")).toMatchObject({
      name: "exported-backend",
      status: "ACTIVE",
    });
  });

  it("says what to do when the cluster does not exist", async () => {
    const ctx = testContext();
    expect(await run(ctx, "ecs", "status", "staging")).toBe(1);
    expect(ctx.io.stderr.join("\n")).toContain("ECS cluster tradai-staging-cluster does not exist");
    expect(ctx.io.stderr.join("\n")).toContain("pnpm tradai infra outputs compute staging");
  });
});

describe("ecs force-deploy", () => {
  it("starts a new deployment of one service", async () => {
    const before = await primaryDeployment("tradai-dev-cluster", "tradai-dev-backend-api");
    const ctx = testContext();
    expect(await run(ctx, "ecs", "force-deploy", "backend-api", "dev", "--json")).toBe(0);
    const result = JSON.parse(ctx.io.stdout.join("\n")) as { name: string; deploymentId: string };
    const after = await primaryDeployment("tradai-dev-cluster", "tradai-dev-backend-api");
    expect(result.name).toBe("tradai-dev-backend-api");
    expect(after).not.toEqual(before);
    expect(result.deploymentId).toBe(after);
  });

  it("accepts the spec's image name: force-deploy backend deploys backend-api", async () => {
    const before = await primaryDeployment("tradai-dev-cluster", "tradai-dev-backend-api");
    const ctx = testContext();
    expect(await run(ctx, "ecs", "force-deploy", "backend", "dev", "--json")).toBe(0);
    const result = JSON.parse(ctx.io.stdout.join("\n")) as { service: string; name: string };
    expect(result).toMatchObject({ service: "backend-api", name: "tradai-dev-backend-api" });
    expect(await primaryDeployment("tradai-dev-cluster", "tradai-dev-backend-api")).not.toEqual(before);
  });

  it("force-deploy-all rolls exactly the three trading services", async () => {
    const names = ["strategy-service", "dry-run-trading", "live-trading", "backend-api"].map(
      (s) => `tradai-dev-${s}`,
    );
    const before = await Promise.all(names.map((n) => primaryDeployment("tradai-dev-cluster", n)));
    const ctx = testContext();
    expect(await run(ctx, "ecs", "force-deploy-all", "dev", "--json")).toBe(0);
    const after = await Promise.all(names.map((n) => primaryDeployment("tradai-dev-cluster", n)));
    expect(after.slice(0, 3).every((id, i) => id !== before[i])).toBe(true);
    expect(after[3]).toBe(before[3]);
    const results = JSON.parse(ctx.io.stdout.join("\n")) as { name: string }[];
    expect(results.map((r) => r.name)).toEqual(names.slice(0, 3));
  });

  it("fails with a next step when the service does not exist", async () => {
    const ctx = testContext();
    expect(await run(ctx, "ecs", "force-deploy", "mlflow", "dev")).toBe(1);
    expect(ctx.io.stderr.join("\n")).toContain("tradai-dev-mlflow does not exist");
  });
});

describe("ecs events", () => {
  it("prints the service's events (none yet in a fresh service)", async () => {
    const ctx = testContext();
    expect(await run(ctx, "ecs", "events", "strategy-service", "dev", "--json")).toBe(0);
    expect(JSON.parse(ctx.io.stdout.join("\n"))).toEqual([]);
  });

  it("fails for a service ECS does not know", async () => {
    const ctx = testContext();
    expect(await run(ctx, "ecs", "events", "mlflow", "dev")).toBe(1);
    expect(ctx.io.stderr.join("\n")).toContain("tradai-dev-mlflow does not exist");
  });

  it("rejects a bad --limit", async () => {
    const ctx = testContext();
    expect(await run(ctx, "ecs", "events", "mlflow", "dev", "--limit", "0")).toBe(2);
  });

  it("keeps the newest events first, up to the limit", () => {
    const events = [
      { createdAt: new Date("2030-01-01T00:00:01Z"), message: "old" },
      { createdAt: new Date("2030-01-01T00:00:03Z"), message: "newest" },
      { createdAt: new Date("2030-01-01T00:00:02Z"), message: "middle" },
    ];
    expect(recentEvents(events, 2).map((e) => e.message)).toEqual(["newest", "middle"]);
  });
});
