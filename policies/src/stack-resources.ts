/** Helpers for stack policies: which resources point at which through an input. */
import type { PolicyResource } from "@pulumi/policy";
import { knownValue } from "./props";

/**
 * True when `candidate`'s input `property` refers to `target`: through the engine's property
 * dependencies (the input was built from `target`'s outputs), or, when both are known strings, by
 * the literal value matching `target`'s `targetKey` input (e.g. a bucket given by name).
 */
export function refersTo(
  candidate: PolicyResource,
  property: string,
  target: PolicyResource,
  targetKey?: string,
): boolean {
  const deps = candidate.propertyDependencies[property] ?? [];
  if (deps.some((dep) => dep.urn === target.urn)) return true;
  if (!targetKey) return false;
  const literal = knownValue(candidate.props, property);
  const targetValue = knownValue(target.props, targetKey);
  return typeof literal === "string" && literal.length > 0 && literal === targetValue;
}

/** Resources of any of the given types. */
export function ofTypes(resources: PolicyResource[], types: readonly string[]): PolicyResource[] {
  return resources.filter((r) => types.includes(r.type));
}
