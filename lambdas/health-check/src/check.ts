/** One health check run: ECS counts and health endpoints of every service, metrics, alert. */
import { PLATFORM_METRICS } from "@tradai/contracts";
import { logger, type OperationalMetric, publishAlert, putOperationalMetrics } from "@tradai/lambda-common";
import type { HealthCheckEnv } from "./config";
import { describeServices, listClusterServices } from "./ecs-services";
import { evaluateService, type ServiceHealth } from "./evaluate";
import { type ProbeResult, probeHealth } from "./probe";

export const SOURCE = "health-check";

export interface HealthReport {
  cluster: string;
  healthy: number;
  unhealthy: number;
  services: ServiceHealth[];
}

/**
 * Checks the cluster's services plus any monitored service ECS does not list (which is then unhealthy),
 * probing the configured health endpoints in parallel.
 */
export async function runHealthCheck(env: HealthCheckEnv): Promise<HealthReport> {
  const probes = Promise.all(
    env.MONITORED_SERVICES.filter((m) => m.healthUrl !== undefined).map(
      async (m): Promise<[string, ProbeResult]> => [
        m.service,
        await probeHealth(m.healthUrl as string, env.HEALTH_CHECK_TIMEOUT_MS),
      ],
    ),
  );
  const clusterServices = await listClusterServices(env.ECS_CLUSTER);
  const names = [...new Set([...clusterServices, ...env.MONITORED_SERVICES.map((m) => m.service)])].sort();
  const states = await describeServices(env.ECS_CLUSTER, names);
  const probeByService = new Map(await probes);

  const services = names.map((name) =>
    evaluateService(
      name,
      states.get(name) ?? { found: false, reason: "not described" },
      probeByService.get(name),
    ),
  );
  const unhealthy = services.filter((s) => !s.healthy);
  const report: HealthReport = {
    cluster: env.ECS_CLUSTER,
    healthy: services.length - unhealthy.length,
    unhealthy: unhealthy.length,
    services,
  };

  const metrics: OperationalMetric[] = [
    { name: "HealthyServices", value: report.healthy, unit: "Count" },
    { name: PLATFORM_METRICS.unhealthyServices, value: report.unhealthy, unit: "Count" },
    ...services.map(
      (s): OperationalMetric => ({
        name: "ServiceHealthy",
        value: s.healthy ? 1 : 0,
        unit: "None",
        dimensions: { ServiceName: s.service },
      }),
    ),
  ];
  await putOperationalMetrics(metrics);

  if (unhealthy.length === 0) {
    logger.info("all services healthy", { cluster: env.ECS_CLUSTER, services: names });
    return report;
  }
  logger.warn("unhealthy services", { cluster: env.ECS_CLUSTER, unhealthy });
  await publishAlert(
    env.ALERTS_TOPIC_ARN,
    SOURCE,
    {
      severity: "critical",
      title: `Unhealthy services: ${unhealthy.map((s) => s.service).join(", ")}`,
      message: unhealthy.map((s) => `${s.service}: ${s.reasons.join("; ")}`).join("\n"),
      details: { cluster: env.ECS_CLUSTER, unhealthy },
    },
    env.ENVIRONMENT,
  );
  return report;
}
