/**
 * Tagged resources that no stack declares on purpose: AWS creates them at run time from a declared
 * resource and copies its tags (ECS tasks of a service, instances of an Auto Scaling group, earlier
 * revisions of a declared task definition). They are not orphans and are left out of the report.
 */
import type { Declared } from "./checkpoint";

/** Tag keys AWS sets on resources it launches on behalf of a declared one. */
const MANAGED_TAG_PREFIXES = ["aws:autoscaling:", "aws:ecs:", "aws:cloudformation:"];

/** `arn:aws:ecs:<region>:<account>:task-definition/<family>:<revision>` -> family prefix up to the colon. */
function taskDefinitionFamily(arn: string): string | undefined {
  const match = arn.match(/^(arn:[^:]+:ecs:[^:]*:[^:]*:task-definition\/[^:]+):\d+$/);
  return match?.[1];
}

/** Families (ARN without revision) of every declared task definition. */
export function declaredTaskFamilies(declared: Declared): Set<string> {
  const families = new Set<string>();
  for (const arn of declared.arns) {
    const family = taskDefinitionFamily(arn);
    if (family) families.add(family);
  }
  return families;
}

/** Why a tagged resource is runtime-managed, or undefined when it is a candidate orphan. */
export function runtimeManagedReason(
  arn: string,
  tagKeys: readonly string[],
  declaredFamilies: ReadonlySet<string>,
): string | undefined {
  if (/^arn:[^:]+:ecs:[^:]*:[^:]*:task\//.test(arn)) return "ECS task (started by a service or a job)";
  const managedTag = tagKeys.find((key) => MANAGED_TAG_PREFIXES.some((prefix) => key.startsWith(prefix)));
  if (managedTag) return `launched by AWS on behalf of a declared resource (tag ${managedTag})`;
  const family = taskDefinitionFamily(arn);
  if (family && declaredFamilies.has(family)) return "earlier revision of a declared task definition";
  return undefined;
}
