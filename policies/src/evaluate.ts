/**
 * Offline policy evaluation: runs the pack's policy objects over a saved layer plan, building the same
 * arguments @pulumi/policy 1.21's analyzer builds from the engine's requests (server.js: analyze and
 * analyzeStack), so a plan's verdict is the verdict `pulumi preview --policy-pack policies` would give.
 */
import type {
  EnforcementLevel,
  Policies,
  PolicyProviderResource,
  PolicyResource,
  PolicyResourceOptions,
  ReportViolation,
  ResourceValidationArgs,
  ResourceValidationPolicy,
  StackValidationArgs,
  StackValidationPolicy,
} from "@pulumi/policy";
import { stackOfUrn } from "./environment";
import { isUnknownValueError, UNKNOWN_STRING, unknownCheckingProxy } from "./internals";
import {
  COMPUTED,
  type EvaluablePlan,
  type EvaluableResource,
  type PolicyViolationRecord,
} from "./plan-shape";
import { PACK_ENFORCEMENT_LEVEL, POLICY_PACK_NAME, POLICY_PACK_VERSION, tradaiPolicies } from "./policies";
import type { ViolationDetails } from "./report";

/** A plan the policies cannot be run over (inconsistent stack, dangling provider reference). */
export class PlanEvaluationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "PlanEvaluationError";
  }
}

class NotApplicableError extends Error {}

const NO_TAGS: ReadonlyMap<string, string> = new Map();

/** Replaces the plan's "<computed>" markers with the analyzer's unknown sentinel. */
function toWire(value: unknown): unknown {
  if (value === COMPUTED) return UNKNOWN_STRING;
  if (Array.isArray(value)) return value.map(toWire);
  if (typeof value === "object" && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, toWire(v)]));
  }
  return value;
}

function propsOf(resource: EvaluableResource): Record<string, unknown> {
  return unknownCheckingProxy(toWire(resource.inputs) as Record<string, unknown>);
}

function optionsOf(resource: EvaluableResource): PolicyResourceOptions {
  const opts: PolicyResourceOptions = {
    protect: resource.protect,
    ignoreChanges: [],
    aliases: [],
    customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 },
    additionalSecretOutputs: [],
  };
  if (resource.parent) opts.parent = resource.parent;
  return opts;
}

function typeChecks(type: string) {
  const matches = (resourceClass: unknown): boolean =>
    (resourceClass as { __pulumiType?: unknown }).__pulumiType === type;
  return { matches };
}

function levelOf(policy: ResourceValidationPolicy | StackValidationPolicy): EnforcementLevel {
  const level = policy.enforcementLevel ?? PACK_ENFORCEMENT_LEVEL;
  // As in the analyzer: a violation that survives remediation is mandatory.
  return level === "remediate" ? "mandatory" : level;
}

function isStackPolicy(
  policy: ResourceValidationPolicy | StackValidationPolicy,
): policy is StackValidationPolicy {
  return typeof (policy as StackValidationPolicy).validateStack === "function";
}

/** Collects violations the way the analyzer's reportViolation does (string or object form). */
function collector(
  out: PolicyViolationRecord[],
  policy: string,
  level: EnforcementLevel,
  defaultUrn: string,
): ReportViolation {
  const report = (message: string | ViolationDetails, urn?: string): void => {
    const details: ViolationDetails =
      typeof message === "string" ? { message, ...(urn ? { urn } : {}) } : message;
    const enforcement = details.enforcementLevel ?? level;
    out.push({
      policy,
      enforcement: enforcement === "advisory" ? "advisory" : "mandatory",
      urn: details.urn ?? defaultUrn,
      message: details.message,
    });
  };
  return report as ReportViolation;
}

/** Runs one validation synchronously, turning unknown reads into the analyzer's advisory notice. */
function run(
  out: PolicyViolationRecord[],
  policyName: string,
  urn: string,
  validate: () => Promise<void> | void,
): void {
  try {
    const result = validate();
    if (result && typeof (result as Promise<void>).then === "function") {
      throw new PlanEvaluationError(
        `policy ${policyName} is asynchronous; offline evaluation runs only synchronous policies`,
      );
    }
  } catch (error) {
    if (isUnknownValueError(error)) {
      out.push({
        policy: policyName,
        enforcement: "advisory",
        urn,
        message: `can't run policy '${policyName}' from policy pack '${POLICY_PACK_NAME}@v${POLICY_PACK_VERSION}' during preview: ${error.message}`,
      });
    } else if (!(error instanceof NotApplicableError)) {
      if (error instanceof PlanEvaluationError) throw error;
      const reason = error instanceof Error ? error.message : String(error);
      throw new PlanEvaluationError(`policy ${policyName} failed on ${urn}: ${reason}`);
    }
  }
}

function notApplicable(reason?: string): never {
  throw new NotApplicableError(reason);
}

/** Checks the plan is self-consistent: every URN in the plan's stack, every provider present. */
function index(plan: EvaluablePlan): Map<string, EvaluableResource> {
  const byUrn = new Map<string, EvaluableResource>();
  for (const resource of plan.resources) {
    let stack: string;
    try {
      stack = stackOfUrn(resource.urn);
    } catch (error) {
      throw new PlanEvaluationError((error as Error).message);
    }
    if (stack !== plan.stack) {
      throw new PlanEvaluationError(
        `resource ${resource.urn} belongs to stack "${stack}", not "${plan.stack}"`,
      );
    }
    byUrn.set(resource.urn, resource);
  }
  return byUrn;
}

function providerOf(
  resource: EvaluableResource,
  byUrn: Map<string, EvaluableResource>,
): PolicyProviderResource | undefined {
  if (!resource.provider) return undefined;
  const cut = resource.provider.lastIndexOf("::");
  const urn = cut > 0 ? resource.provider.slice(0, cut) : resource.provider;
  const provider = byUrn.get(urn);
  if (!provider) {
    throw new PlanEvaluationError(`resource ${resource.urn} uses provider ${urn}, which is not in the plan`);
  }
  return { type: provider.type, props: propsOf(provider), urn: provider.urn, name: provider.name };
}

function resourceArgs(
  resource: EvaluableResource,
  byUrn: Map<string, EvaluableResource>,
  getConfig: <T extends object>() => T,
): ResourceValidationArgs {
  const props = propsOf(resource);
  const { matches } = typeChecks(resource.type);
  const args: ResourceValidationArgs = {
    type: resource.type,
    props,
    urn: resource.urn,
    name: resource.name,
    opts: optionsOf(resource),
    stackTags: NO_TAGS,
    isType: (resourceClass) => matches(resourceClass),
    asType: ((resourceClass: unknown) =>
      matches(resourceClass) ? props : undefined) as ResourceValidationArgs["asType"],
    getConfig,
    notApplicable,
  };
  const provider = providerOf(resource, byUrn);
  if (provider) args.provider = provider;
  return args;
}

/** The resource graph a stack policy sees: parents, dependencies and property dependencies resolved. */
function stackResources(plan: EvaluablePlan, byUrn: Map<string, EvaluableResource>): PolicyResource[] {
  const resolved = new Map<string, PolicyResource>();
  for (const resource of plan.resources) {
    const props = propsOf(resource);
    const { matches } = typeChecks(resource.type);
    const policyResource: PolicyResource = {
      type: resource.type,
      props,
      urn: resource.urn,
      name: resource.name,
      opts: optionsOf(resource),
      dependencies: [],
      propertyDependencies: {},
      isType: (resourceClass) => matches(resourceClass),
      asType: ((resourceClass: unknown) =>
        matches(resourceClass) ? props : undefined) as PolicyResource["asType"],
    };
    const provider = providerOf(resource, byUrn);
    if (provider) policyResource.provider = provider;
    resolved.set(resource.urn, policyResource);
  }
  const lookup = (urns: string[]): PolicyResource[] =>
    urns.map((urn) => resolved.get(urn)).filter((r): r is PolicyResource => r !== undefined);
  for (const resource of plan.resources) {
    const target = resolved.get(resource.urn);
    if (!target) continue;
    const parent = resource.parent ? resolved.get(resource.parent) : undefined;
    if (parent) target.parent = parent;
    target.dependencies = lookup(resource.dependsOn);
    for (const [property, urns] of Object.entries(resource.propertyDependencies)) {
      target.propertyDependencies[property] = lookup(urns);
    }
  }
  return [...resolved.values()];
}

/**
 * Evaluates `policies` (the pack's, by default) over one layer plan and returns every violation:
 * resource policies per resource in plan order, then stack policies. Throws `PlanEvaluationError`
 * when the plan is inconsistent.
 */
export function evaluateLayerPlan(
  plan: EvaluablePlan,
  policies: Policies = tradaiPolicies,
): PolicyViolationRecord[] {
  const byUrn = index(plan);
  const out: PolicyViolationRecord[] = [];
  const getConfig = <T extends object>(): T => ({}) as T;
  const resourcePolicies = policies.filter((p): p is ResourceValidationPolicy => !isStackPolicy(p));
  for (const resource of plan.resources) {
    if (resource.read) continue;
    for (const policy of resourcePolicies) {
      const level = levelOf(policy);
      if (level === "disabled" || !policy.validateResource) continue;
      const validations = Array.isArray(policy.validateResource)
        ? policy.validateResource
        : [policy.validateResource];
      const report = collector(out, policy.name, level, resource.urn);
      for (const validate of validations) {
        run(out, policy.name, resource.urn, () => validate(resourceArgs(resource, byUrn, getConfig), report));
      }
    }
  }
  const stackUrn = plan.resources.find((r) => r.type === "pulumi:pulumi:Stack")?.urn ?? "";
  for (const policy of policies.filter(isStackPolicy)) {
    const level = levelOf(policy);
    if (level === "disabled") continue;
    const args: StackValidationArgs = {
      resources: stackResources(plan, byUrn),
      stackTags: NO_TAGS,
      getConfig,
      notApplicable,
    };
    run(out, policy.name, stackUrn, () =>
      policy.validateStack(args, collector(out, policy.name, level, stackUrn)),
    );
  }
  return out;
}
