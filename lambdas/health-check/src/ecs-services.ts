/** What ECS reports for the cluster's services: status, running and desired task counts. */
import { DescribeServicesCommand, paginateListServices } from "@aws-sdk/client-ecs";
import { ecs } from "@tradai/lambda-common";
import type { EcsServiceState } from "./evaluate";

/** DescribeServices takes at most 10 services per call. */
const DESCRIBE_BATCH = 10;

/** Service name from a service ARN (`arn:aws:ecs:<region>:<account>:service/<cluster>/<name>`). */
export const serviceNameOf = (arn: string): string => arn.slice(arn.lastIndexOf("/") + 1);

/** Names of every service in the cluster. */
export async function listClusterServices(cluster: string): Promise<string[]> {
  const names: string[] = [];
  for await (const page of paginateListServices({ client: ecs() }, { cluster })) {
    for (const arn of page.serviceArns ?? []) names.push(serviceNameOf(arn));
  }
  return names;
}

/** ECS state of each named service; services ECS does not know come back as `found: false`. */
export async function describeServices(
  cluster: string,
  names: readonly string[],
): Promise<Map<string, EcsServiceState>> {
  const states = new Map<string, EcsServiceState>();
  for (let i = 0; i < names.length; i += DESCRIBE_BATCH) {
    const batch = names.slice(i, i + DESCRIBE_BATCH);
    const out = await ecs().send(new DescribeServicesCommand({ cluster, services: batch }));
    for (const service of out.services ?? []) {
      if (!service.serviceName) continue;
      states.set(service.serviceName, {
        found: true,
        status: service.status ?? "UNKNOWN",
        runningCount: service.runningCount ?? 0,
        desiredCount: service.desiredCount ?? 0,
      });
    }
    for (const failure of out.failures ?? []) {
      const name = failure.arn ? serviceNameOf(failure.arn) : undefined;
      if (name && !states.has(name)) {
        states.set(name, {
          found: false,
          reason: `service ${name} ${failure.reason ?? "not found"} in cluster ${cluster}`,
        });
      }
    }
  }
  for (const name of names) {
    if (!states.has(name))
      states.set(name, { found: false, reason: `service ${name} not found in cluster ${cluster}` });
  }
  return states;
}
