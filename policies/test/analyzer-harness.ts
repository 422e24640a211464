/**
 * Drives the real analyzer code of @pulumi/policy 1.21 (server.js `makeAnalyzeRpcFun` and
 * `makeAnalyzeStackRpcFun`, what `pulumi preview --policy-pack` talks to over gRPC) with protobuf
 * requests built from a plan, so tests can compare the engine's verdict with the offline one.
 */
import { createRequire } from "node:module";
import type { Policies } from "@pulumi/policy";
import * as serverModule from "@pulumi/policy/server";
import * as proto from "@pulumi/pulumi/proto/analyzer_pb";
import { UNKNOWN_STRING } from "../src/internals";
import {
  COMPUTED,
  type EvaluablePlan,
  type EvaluableResource,
  type PolicyViolationRecord,
} from "../src/plan-shape";
import { PACK_ENFORCEMENT_LEVEL, POLICY_PACK_NAME, POLICY_PACK_VERSION } from "../src/policies";

type Callback = (error: unknown, response?: proto.AnalyzeResponse) => void;
type Rpc = (call: { request: unknown }, callback: Callback) => Promise<void>;
interface ServerInternals {
  makeAnalyzeRpcFun(pack: string, version: string, level: string, policies: Policies): Rpc;
  makeAnalyzeStackRpcFun(pack: string, version: string, level: string, policies: Policies): Rpc;
}
const server = serverModule as unknown as ServerInternals;

// google-protobuf is @pulumi/pulumi's dependency; load the copy its generated code uses.
const pulumiRequire = createRequire(require.resolve("@pulumi/pulumi/package.json"));
const { Struct } = pulumiRequire("google-protobuf/google/protobuf/struct_pb") as {
  Struct: { fromJavaScript(value: Record<string, unknown>): never };
};

/** The engine sends unknowns as the sentinel string. */
function toWire(value: unknown): unknown {
  if (value === COMPUTED) return UNKNOWN_STRING;
  if (Array.isArray(value)) return value.map(toWire);
  if (typeof value === "object" && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, toWire(v)]));
  }
  return value;
}

const struct = (inputs: Record<string, unknown>) =>
  Struct.fromJavaScript(toWire(inputs) as Record<string, unknown>);

function options(resource: EvaluableResource): proto.AnalyzerResourceOptions {
  const opts = new proto.AnalyzerResourceOptions();
  opts.setProtect(resource.protect);
  if (resource.parent) opts.setParent(resource.parent);
  return opts;
}

function providerOf(
  plan: EvaluablePlan,
  resource: EvaluableResource,
): proto.AnalyzerProviderResource | undefined {
  if (!resource.provider) return undefined;
  const urn = resource.provider.slice(0, resource.provider.lastIndexOf("::"));
  const found = plan.resources.find((r) => r.urn === urn);
  if (!found) throw new Error(`no provider ${urn}`);
  const provider = new proto.AnalyzerProviderResource();
  provider.setType(found.type);
  provider.setUrn(found.urn);
  provider.setName(found.name);
  provider.setProperties(struct(found.inputs));
  return provider;
}

export interface EngineDiagnostic {
  policy: string;
  enforcement: "mandatory" | "advisory";
  urn: string;
  message: string;
}

function toDiagnostics(response: proto.AnalyzeResponse | undefined, fallbackUrn: string): EngineDiagnostic[] {
  return (response?.getDiagnosticsList() ?? []).map((d) => ({
    policy: d.getPolicyname(),
    enforcement: d.getEnforcementlevel() === proto.EnforcementLevel.MANDATORY ? "mandatory" : "advisory",
    urn: d.getUrn() || fallbackUrn,
    message: d.getMessage(),
  }));
}

function call(rpc: Rpc, request: unknown): Promise<proto.AnalyzeResponse | undefined> {
  return new Promise((resolve, reject) => {
    void rpc({ request }, (error, response) => (error ? reject(error) : resolve(response)));
  });
}

/** What the analyzer reports for every resource of `plan` and then for the whole stack. */
export async function analyzeWithEngine(
  plan: EvaluablePlan,
  policies: Policies,
): Promise<EngineDiagnostic[]> {
  const analyze = server.makeAnalyzeRpcFun(
    POLICY_PACK_NAME,
    POLICY_PACK_VERSION,
    PACK_ENFORCEMENT_LEVEL,
    policies,
  );
  const analyzeStack = server.makeAnalyzeStackRpcFun(
    POLICY_PACK_NAME,
    POLICY_PACK_VERSION,
    PACK_ENFORCEMENT_LEVEL,
    policies,
  );
  const out: EngineDiagnostic[] = [];
  const stackResources: proto.AnalyzerResource[] = [];
  for (const resource of plan.resources) {
    const request = new proto.AnalyzeRequest();
    request.setType(resource.type);
    request.setUrn(resource.urn);
    request.setName(resource.name);
    request.setProperties(struct(resource.inputs));
    request.setOptions(options(resource));
    const provider = providerOf(plan, resource);
    if (provider) request.setProvider(provider);
    out.push(...toDiagnostics(await call(analyze, request), resource.urn));

    const analyzed = new proto.AnalyzerResource();
    analyzed.setType(resource.type);
    analyzed.setUrn(resource.urn);
    analyzed.setName(resource.name);
    analyzed.setProperties(struct(resource.inputs));
    analyzed.setOptions(options(resource));
    if (provider) analyzed.setProvider(provider);
    if (resource.parent) analyzed.setParent(resource.parent);
    analyzed.setDependenciesList(resource.dependsOn);
    for (const [input, urns] of Object.entries(resource.propertyDependencies)) {
      const deps = new proto.AnalyzerPropertyDependencies();
      deps.setUrnsList(urns);
      analyzed.getPropertydependenciesMap().set(input, deps);
    }
    stackResources.push(analyzed);
  }
  const stackRequest = new proto.AnalyzeStackRequest();
  stackRequest.setResourcesList(stackResources);
  const stackUrn = plan.resources.find((r) => r.type === "pulumi:pulumi:Stack")?.urn ?? "";
  out.push(...toDiagnostics(await call(analyzeStack, stackRequest), stackUrn));
  return out;
}

/**
 * The analyzer prefixes a string-form violation with the policy's description; the plan records only
 * the violation's own message. Strips that prefix so the two can be compared.
 */
export function withoutDescription(
  diagnostics: EngineDiagnostic[],
  policies: Policies,
): PolicyViolationRecord[] {
  const descriptions = new Map(policies.map((p) => [p.name, p.description]));
  return diagnostics.map((d) => {
    const prefix = `${descriptions.get(d.policy) ?? ""}\n`;
    return { ...d, message: d.message.startsWith(prefix) ? d.message.slice(prefix.length) : d.message };
  });
}
