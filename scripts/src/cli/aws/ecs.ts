/**
 * ECS operations: service status, recent events, forced rolling deployments. Cluster and service names
 * come from the compute stack's outputs (`cluster.name`, `services.<name>.name`), else the naming
 * convention `tradai-<env>-cluster` / `tradai-<env>-<service>`.
 */
import type { DescribeServicesCommandOutput, ECSClient } from "@aws-sdk/client-ecs";
import type { CliContext } from "../context";
import { CliError } from "../errors";
import { ecsOutputs, readOutputs } from "../infra/layer-outputs";
import { ECS_SERVICE_NAMES, type EcsServiceName, type Environment } from "../platform";
import { clientConfig } from "./region";

export interface EcsNames {
  cluster: string;
  services: Record<EcsServiceName, string>;
}

/** The naming convention (`physicalName` of the compute layer). */
export function conventionalEcsNames(env: Environment): EcsNames {
  const services = {} as Record<EcsServiceName, string>;
  for (const name of ECS_SERVICE_NAMES) services[name] = `tradai-${env}-${name}`;
  return { cluster: `tradai-${env}-cluster`, services };
}

/** Names from the compute stack's outputs, falling back to the convention per missing entry. */
export async function resolveEcsNames(ctx: CliContext, env: Environment): Promise<EcsNames> {
  const names = conventionalEcsNames(env);
  const outputs = await readOutputs(ctx, "compute", env, ecsOutputs, "ECS cluster and service names");
  if (!outputs) return names;
  names.cluster = outputs.cluster.name;
  for (const service of ECS_SERVICE_NAMES) {
    const exported = outputs.services[service];
    if (exported) names.services[service] = exported.name;
  }
  return names;
}

async function ecs(
  ctx: CliContext,
): Promise<{ client: ECSClient; sdk: typeof import("@aws-sdk/client-ecs") }> {
  const sdk = await import("@aws-sdk/client-ecs");
  return { sdk, client: new sdk.ECSClient(clientConfig(ctx.env)) };
}

function clusterHint(env: Environment): string {
  return `is the compute stack deployed? check with: pnpm tradai infra outputs compute ${env}`;
}

export interface ServiceStatus {
  service: EcsServiceName;
  name: string;
  /** ACTIVE, DRAINING, INACTIVE, or MISSING when ECS does not know the service. */
  status: string;
  desired: number;
  running: number;
  pending: number;
  /** Rollout state of the primary deployment (COMPLETED, IN_PROGRESS, FAILED). */
  rollout?: string;
  deployments: number;
}

async function describe(
  ctx: CliContext,
  env: Environment,
  names: EcsNames,
  services: readonly EcsServiceName[],
) {
  const { sdk, client } = await ecs(ctx);
  let result: DescribeServicesCommandOutput;
  try {
    result = await client.send(
      new sdk.DescribeServicesCommand({
        cluster: names.cluster,
        services: services.map((s) => names.services[s]),
      }),
    );
  } catch (error) {
    if (error instanceof sdk.ClusterNotFoundException) {
      throw new CliError(`ECS cluster ${names.cluster} does not exist`, clusterHint(env));
    }
    throw error;
  }
  return result;
}

/** Status of every ECS service of the environment. */
export async function ecsStatus(
  ctx: CliContext,
  env: Environment,
): Promise<{ cluster: string; services: ServiceStatus[] }> {
  const names = await resolveEcsNames(ctx, env);
  const result = await describe(ctx, env, names, ECS_SERVICE_NAMES);
  const services = ECS_SERVICE_NAMES.map((service): ServiceStatus => {
    const name = names.services[service];
    const found = result.services?.find((s) => s.serviceName === name);
    if (!found)
      return { service, name, status: "MISSING", desired: 0, running: 0, pending: 0, deployments: 0 };
    const primary = found.deployments?.find((d) => d.status === "PRIMARY");
    return {
      service,
      name,
      status: found.status ?? "UNKNOWN",
      desired: found.desiredCount ?? 0,
      running: found.runningCount ?? 0,
      pending: found.pendingCount ?? 0,
      ...(primary?.rolloutState ? { rollout: primary.rolloutState } : {}),
      deployments: found.deployments?.length ?? 0,
    };
  });
  return { cluster: names.cluster, services };
}

export interface ServiceEvent {
  at: string;
  message: string;
}

/** The service's most recent events, newest first. */
export async function ecsEvents(
  ctx: CliContext,
  service: EcsServiceName,
  env: Environment,
  limit: number,
): Promise<ServiceEvent[]> {
  const names = await resolveEcsNames(ctx, env);
  const result = await describe(ctx, env, names, [service]);
  const found = result.services?.find((s) => s.serviceName === names.services[service]);
  if (!found) {
    throw new CliError(
      `ECS service ${names.services[service]} does not exist in ${names.cluster}`,
      clusterHint(env),
    );
  }
  return recentEvents(found.events ?? [], limit);
}

/** The newest `limit` events, newest first (ECS returns them newest first, but does not promise it). */
export function recentEvents(
  events: readonly { createdAt?: Date; message?: string }[],
  limit: number,
): ServiceEvent[] {
  return events
    .map((e) => ({ at: e.createdAt?.toISOString() ?? "", message: e.message ?? "" }))
    .sort((a, b) => b.at.localeCompare(a.at))
    .slice(0, limit);
}

export interface ForcedDeployment {
  service: EcsServiceName;
  name: string;
  /** Id of the new primary deployment. */
  deploymentId?: string;
}

/**
 * Starts a new deployment of the service with its current task definition: fresh tasks of the same image,
 * which the task definition pins by digest (a new image deploys through `tradai infra up compute`).
 */
export async function forceDeploy(
  ctx: CliContext,
  env: Environment,
  service: EcsServiceName,
  names: EcsNames,
): Promise<ForcedDeployment> {
  const { sdk, client } = await ecs(ctx);
  const name = names.services[service];
  try {
    const result = await client.send(
      new sdk.UpdateServiceCommand({ cluster: names.cluster, service: name, forceNewDeployment: true }),
    );
    const primary = result.service?.deployments?.find((d) => d.status === "PRIMARY");
    return { service, name, ...(primary?.id ? { deploymentId: primary.id } : {}) };
  } catch (error) {
    if (error instanceof sdk.ClusterNotFoundException) {
      throw new CliError(`ECS cluster ${names.cluster} does not exist`, clusterHint(env));
    }
    if (error instanceof sdk.ServiceNotFoundException || error instanceof sdk.ServiceNotActiveException) {
      throw new CliError(
        `ECS service ${name} does not exist (or is not active) in ${names.cluster}`,
        clusterHint(env),
      );
    }
    throw error;
  }
}
