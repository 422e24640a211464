/**
 * How the pack learns the environment: from the stack name inside the URN of the resource being
 * checked (`urn:pulumi:<stack>::<project>::<type>::<name>`). The engine hands every policy that URN, and
 * the offline plan records it, so both paths see the same thing with no flag or stack tag to forget.
 * Only the known non-production stacks are relaxed: any other stack name is treated as production.
 */
import { ENVIRONMENTS } from "@tradai/contracts";

/** Environments whose guardrails on data durability are advisory. */
const NON_PRODUCTION: ReadonlySet<string> = new Set(ENVIRONMENTS.filter((env) => env !== "prod"));

/** The stack name in a resource URN; throws on anything that is not a Pulumi URN. */
export function stackOfUrn(urn: string): string {
  const match = /^urn:pulumi:([^:]+)::/.exec(urn);
  if (!match?.[1]) throw new Error(`not a Pulumi resource URN: "${urn}"`);
  return match[1];
}

/** True unless the URN belongs to a known non-production stack (fail closed). */
export function isProductionUrn(urn: string): boolean {
  return !NON_PRODUCTION.has(stackOfUrn(urn));
}
