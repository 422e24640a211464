/** Builds small layer plans for the policy tests, in the offline plan's format. */
import type { EvaluablePlan, EvaluableResource } from "../src/plan-shape";

export const PROJECT = "tradai-test";
export const PROVIDER_TYPE = "pulumi:providers:aws";

export function urnOf(stack: string, type: string, name: string): string {
  return `urn:pulumi:${stack}::${PROJECT}::${type}::${name}`;
}

export const FULL_TAGS = {
  Project: "tradai",
  Environment: "dev",
  Layer: "persistent",
  ManagedBy: "pulumi",
  Repository: "github.com/tradai/infra",
};

/** The explicit AWS provider the programs create, with the default tags as its SDK serialises them. */
export function awsProvider(stack: string, tags: Record<string, string> = FULL_TAGS): EvaluableResource {
  return {
    urn: urnOf(stack, PROVIDER_TYPE, "aws"),
    type: PROVIDER_TYPE,
    name: "aws",
    parent: urnOf(stack, "pulumi:pulumi:Stack", `${PROJECT}-${stack}`),
    dependsOn: [],
    propertyDependencies: {},
    protect: false,
    provider: null,
    inputs: { region: "eu-central-1", defaultTags: JSON.stringify({ tags }) },
  };
}

export interface ResourceSpec {
  type: string;
  name: string;
  inputs?: Record<string, unknown>;
  protect?: boolean;
  /** Input name -> names of resources (of any type in the plan) it was built from. */
  deps?: Record<string, Array<{ type: string; name: string }>>;
  /** Use the default provider instead of the explicit tagged one. */
  defaultProvider?: boolean;
}

/** A resource of `stack`, using the explicit tagged provider unless told otherwise. */
export function resource(stack: string, spec: ResourceSpec): EvaluableResource {
  const propertyDependencies: Record<string, string[]> = {};
  for (const [input, refs] of Object.entries(spec.deps ?? {})) {
    propertyDependencies[input] = refs.map((r) => urnOf(stack, r.type, r.name));
  }
  return {
    urn: urnOf(stack, spec.type, spec.name),
    type: spec.type,
    name: spec.name,
    parent: urnOf(stack, "pulumi:pulumi:Stack", `${PROJECT}-${stack}`),
    dependsOn: [],
    propertyDependencies,
    protect: spec.protect ?? false,
    provider: spec.defaultProvider ? null : `${urnOf(stack, PROVIDER_TYPE, "aws")}::provider-id`,
    inputs: spec.inputs ?? {},
  };
}

/** A plan for `stack` holding the stack resource, the tagged provider and `specs`. */
export function planOf(stack: string, specs: ResourceSpec[], provider = awsProvider(stack)): EvaluablePlan {
  const stackResource: EvaluableResource = {
    urn: urnOf(stack, "pulumi:pulumi:Stack", `${PROJECT}-${stack}`),
    type: "pulumi:pulumi:Stack",
    name: `${PROJECT}-${stack}`,
    parent: null,
    dependsOn: [],
    propertyDependencies: {},
    protect: false,
    provider: null,
    inputs: {},
  };
  return { stack, resources: [stackResource, provider, ...specs.map((s) => resource(stack, s))] };
}
