/**
 * The check: every recorded call (and every call implied by it or by a state machine definition) of
 * every principal, evaluated with the IAM policy simulator against the policies the plan gives that
 * principal's role, per environment.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import type { RecordedCall, RecordLine } from "@tradai/iam-recorder";
import { type Placement, requestsOf, UnknownCallError } from "./derive";
import {
  impliedRequests,
  notFoundRequests,
  type PlannedRequest,
  policyHolder,
  STATE_MACHINE_LOGGING_ACTIONS,
  STATE_MACHINE_TRACING_ACTIONS,
  stateMachineRequests,
  taggedTaskRequest,
} from "./implied";
import { type EnvPlan, envPlan, type PrincipalPlan, readPlanResources } from "./plan-model";
import { type PolicyDocument, type PolicyStatement, simulate } from "./simulate";

/** Principals of the plan whose code the recorder cannot see, and why. */
export const NOT_RECORDED: Record<string, string> = {
  "ecs:mlflow": "the MLflow server (Python image, no TradAI code calls AWS)",
};

export interface Verdict {
  env: string;
  principal: string;
  action: string;
  resource: string;
  context: Record<string, string | string[]>;
  decision: "Allowed" | "ExplicitlyDenied" | "ImplicitlyDenied" | "Error";
  /** `policy/Sid` of the statements that allow it. */
  allowedBy: string[];
  deniedBy: string[];
  /** For a denial: statements that grant the action elsewhere (another resource or condition), or none. */
  nearest: string[];
  /** The SDK operation that made it, or what implied it. */
  source: string;
  error?: string;
}

export interface PrincipalSummary {
  principal: string;
  suites: number;
  /** Recorded SDK calls (all test runs, not deduplicated); for a state machine, the ASL-derived calls. */
  calls: number;
  /** Per environment: requests (recorded, implied and runtime) allowed and denied. */
  byEnv: Record<string, { allowed: number; denied: number }>;
  managedPolicyArns: string[];
}

export interface UnexercisedStatement {
  principal: string;
  policy: string;
  statement: string;
  actions: string[];
  envs: string[];
}

export interface CheckReport {
  envs: string[];
  recordedCalls: number;
  verdicts: Verdict[];
  principals: PrincipalSummary[];
  /** Principals of the plan without any recording: fails the check. */
  uncovered: string[];
  /** Recordings of principals the plan does not deploy: fails the check. */
  unknownPrincipals: string[];
  unexercised: UnexercisedStatement[];
  /** Actions of exercised statements that no request used (report only): `actions` lists the unused ones. */
  unusedActions: UnexercisedStatement[];
}

export function readRecordings(dir: string): RecordLine[] {
  if (!fs.existsSync(dir)) return [];
  const lines: RecordLine[] = [];
  for (const file of fs
    .readdirSync(dir)
    .filter((f) => f.endsWith(".jsonl"))
    .sort()) {
    for (const line of fs.readFileSync(path.join(dir, file), "utf8").split("\n")) {
      if (line.trim()) lines.push(JSON.parse(line) as RecordLine);
    }
  }
  return lines;
}

function mapStrings(value: unknown, f: (s: string) => string): unknown {
  if (typeof value === "string") return f(value);
  if (Array.isArray(value)) return value.map((v) => mapStrings(v, f));
  if (value && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, mapStrings(v, f)]));
  }
  return value;
}

/**
 * The call as it would be made in `plan`: every name the test gave through a variable replaced by the
 * value the plan gives that variable, and ARNs moved to the plan's account and region.
 */
export function toPlanNames(call: RecordedCall, principal: PrincipalPlan, plan: Placement): RecordedCall {
  const pairs: [string, string][] = [];
  for (const [name, testValue] of Object.entries(call.names)) {
    const planValue = principal.env[name];
    if (typeof planValue !== "string" || planValue === testValue) continue;
    pairs.push([testValue, planValue]);
    // Part by part too: the bucket of `s3://bucket/prefix`, each id of `rtb-a,rtb-b`. Never an account
    // id or a host name, which other identifiers share.
    const testParts = testValue.split(/[/:,]+/);
    const planParts = planValue.split(/[/:,]+/);
    testParts.forEach((part, i) => {
      const planPart = planParts[i];
      const name = part.length >= 6 && !/^\d+$/.test(part) && !part.includes(".");
      if (planPart && name && part !== planPart) pairs.push([part, planPart]);
    });
  }
  pairs.sort((a, b) => b[0].length - a[0].length);
  // One pass, longest first: a name is never renamed twice (`strategies` -> `tradai-dev-strategies`).
  const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  const planValue = new Map(pairs);
  const pattern =
    pairs.length > 0 ? new RegExp(pairs.map(([from]) => escapeRegExp(from)).join("|"), "g") : undefined;
  const rename = (s: string) => {
    let out = pattern ? s.replace(pattern, (found) => planValue.get(found) ?? found) : s;
    if (out.startsWith("arn:aws:")) {
      const parts = out.split(":");
      if (parts[3]) parts[3] = plan.region;
      if (parts[4] && parts[4] !== "aws") parts[4] = plan.accountId;
      out = parts.join(":");
    }
    return out;
  };
  return { ...call, input: mapStrings(call.input, rename) as Record<string, unknown> };
}

const statementsOf = (doc: PolicyDocument): PolicyStatement[] =>
  Array.isArray(doc.Statement) ? doc.Statement : [doc.Statement];
const asList = (v: string | string[] | undefined): string[] =>
  v === undefined ? [] : Array.isArray(v) ? v : [v];
const statementId = (s: PolicyStatement, index: number) => s.Sid ?? String(index + 1);

function actionMatches(pattern: string, action: string): boolean {
  const re = new RegExp(
    `^${pattern
      .replace(/[.+^${}()|[\]\\]/g, "\\$&")
      .replace(/\*/g, ".*")
      .replace(/\?/g, ".")}$`,
    "i",
  );
  return re.test(action);
}

/** Allow statements that name the action (so a denial is a resource or condition mismatch there). */
function nearestStatements(principal: PrincipalPlan, action: string): string[] {
  const near: string[] = [];
  for (const [policy, doc] of Object.entries(principal.policies)) {
    statementsOf(doc).forEach((s, i) => {
      if (s.Effect === "Allow" && asList(s.Action).some((a) => actionMatches(a, action))) {
        near.push(
          `${policy}/${statementId(s, i)} grants it on ${asList(s.Resource).join(", ") || "(NotResource)"}${s.Condition ? ` if ${JSON.stringify(s.Condition)}` : ""}`,
        );
      }
    });
  }
  return near;
}

async function evaluate(
  env: string,
  principal: PrincipalPlan,
  request: PlannedRequest,
  plan: EnvPlan,
  source: string,
): Promise<Verdict> {
  const base = {
    env,
    principal: principal.principal,
    action: request.action,
    resource: request.resource,
    context: request.context,
    source: request.impliedBy ? `implied by ${request.impliedBy}` : source,
  };
  const resourcePolicy = request.resourcePolicy ?? plan.resourcePolicies.get(policyHolder(request.resource));
  try {
    const outcome = await simulate(principal.policies, {
      action: request.action,
      resource: request.resource,
      principal: principal.roleArn,
      resourceAccount: plan.accountId,
      // The SDK always uses TLS: bucket and queue policies deny requests without it.
      context: { "aws:SecureTransport": "true", ...request.context },
      ...(resourcePolicy ? { resourcePolicy } : {}),
    });
    const fmt = (r: { policy: string; statement: string }) => `${r.policy}/${r.statement}`;
    return {
      ...base,
      decision: outcome.decision,
      allowedBy: outcome.allowedBy.map(fmt),
      deniedBy: outcome.deniedBy.map(fmt),
      nearest: outcome.decision === "Allowed" ? [] : nearestStatements(principal, request.action),
    };
  } catch (error) {
    return {
      ...base,
      decision: "Error",
      allowedBy: [],
      deniedBy: [],
      nearest: [],
      error: (error as Error).message,
    };
  }
}

async function principalRequests(
  call: RecordedCall,
  principal: PrincipalPlan,
  plan: EnvPlan,
): Promise<PlannedRequest[]> {
  const placed = toPlanNames(call, principal, plan);
  const direct = await requestsOf(placed, plan, principal.env);
  const out: PlannedRequest[] = [];
  for (const request of direct) {
    out.push(request, ...impliedRequests(request, plan), ...notFoundRequests(request, call.error));
  }
  if (direct[0]?.action === "ecs:RunTask") {
    const tag = taggedTaskRequest(placed.input, plan);
    if (tag) out.push(tag);
  }
  return out;
}

export interface CheckOptions {
  /** Directory holding `<env>/<layer>.json` plan files. */
  planDir: string;
  envs: string[];
  recordings: RecordLine[];
}

export async function runCheck(options: CheckOptions): Promise<CheckReport> {
  const calls = options.recordings.filter((l): l is RecordedCall => l.kind === "call");
  const suites = options.recordings.filter((l) => l.kind === "suite");
  const verdicts: Verdict[] = [];
  const summaries = new Map<string, PrincipalSummary>();
  const exercised = new Set<string>();
  /** Statement (per environment) -> the actions of the requests it allowed. */
  const usedActions = new Map<string, string[]>();
  const statements = new Map<string, UnexercisedStatement>();
  const unknownPrincipals = new Set<string>();
  const planned = new Set<string>();

  const summary = (principal: string, managed: string[] = []) => {
    let s = summaries.get(principal);
    if (!s) {
      s = { principal, suites: 0, calls: 0, byEnv: {}, managedPolicyArns: managed };
      summaries.set(principal, s);
    }
    return s;
  };
  for (const suite of suites) summary(suite.principal).suites++;
  for (const call of calls) summary(call.principal || "(no principal)").calls++;

  // One simulation per distinct call: the same call made by many tests is evaluated once.
  const distinct = new Map<string, RecordedCall>();
  for (const call of calls) distinct.set(JSON.stringify(call), call);

  for (const env of options.envs) {
    const plan = envPlan(env, readPlanResources(path.join(options.planDir, env)).resources);
    for (const p of plan.principals.values()) {
      planned.add(p.principal);
      summary(p.principal, p.managedPolicyArns).managedPolicyArns = p.managedPolicyArns;
      for (const [policy, doc] of Object.entries(p.policies)) {
        // AWS-managed policies are not ours to trim; a principal the recorder cannot see proves nothing.
        if (policy.startsWith("arn:aws:iam::aws:policy/") || p.principal in NOT_RECORDED) continue;
        statementsOf(doc).forEach((s, i) => {
          if (s.Effect !== "Allow") return;
          const key = `${p.principal}\u0000${policy}\u0000${statementId(s, i)}`;
          const entry = statements.get(key) ?? {
            principal: p.principal,
            policy,
            statement: statementId(s, i),
            actions: asList(s.Action),
            envs: [],
          };
          entry.envs.push(env);
          statements.set(key, entry);
        });
      }
    }
    const record = (v: Verdict) => {
      verdicts.push(v);
      const byEnv = summary(v.principal).byEnv;
      const counts = byEnv[v.env] ?? { allowed: 0, denied: 0 };
      byEnv[v.env] = counts;
      if (v.decision === "Allowed") {
        counts.allowed++;
        for (const ref of v.allowedBy) {
          const key = `${v.env}\u0000${v.principal}\u0000${ref.replace("/", "\u0000")}`;
          exercised.add(key);
          usedActions.set(key, [...(usedActions.get(key) ?? []), v.action]);
        }
      } else counts.denied++;
    };
    for (const call of distinct.values()) {
      const principal = plan.principals.get(call.principal);
      if (!principal) {
        unknownPrincipals.add(call.principal || "(no principal)");
        continue;
      }
      const source = `${call.signingName}:${call.operation}`;
      let requests: PlannedRequest[];
      try {
        requests = await principalRequests(call, principal, plan);
      } catch (error) {
        if (!(error instanceof UnknownCallError)) throw error;
        record({
          env,
          principal: call.principal,
          action: source,
          resource: "?",
          context: {},
          decision: "Error",
          allowedBy: [],
          deniedBy: [],
          nearest: [],
          source,
          error: error.message,
        });
        continue;
      }
      for (const request of requests) record(await evaluate(env, principal, request, plan, source));
    }
    for (const [name, requests] of plan.runtime) {
      const principal = plan.principals.get(name);
      if (!principal) continue;
      for (const r of requests) {
        const request: PlannedRequest = {
          action: r.action,
          resource: r.resource,
          context: {},
          impliedBy: r.why,
        };
        for (const one of [request, ...impliedRequests(request, plan)]) {
          record(await evaluate(env, principal, one, plan, "runtime"));
        }
      }
    }
    for (const [name, machine] of plan.stateMachines) {
      const principal = plan.principals.get(name);
      if (!principal) continue;
      const { requests, unknown } = await stateMachineRequests(machine.definition, plan);
      for (const u of unknown)
        record({
          env,
          principal: name,
          action: `ASL ${u.resource}`,
          resource: "?",
          context: {},
          decision: "Error",
          allowedBy: [],
          deniedBy: [],
          nearest: [],
          source: "ASL",
          error: `state ${u.state}: ${u.reason}`,
        });
      const extra = [
        ...(machine.logging ? STATE_MACHINE_LOGGING_ACTIONS : []),
        ...(machine.tracing ? STATE_MACHINE_TRACING_ACTIONS : []),
      ];
      for (const action of extra)
        requests.push({ action, resource: "*", context: {}, impliedBy: "state machine configuration" });
      // The state machine's calls come from its definition: covered whenever the plan has one.
      summary(name).suites = 1;
      summary(name).calls = requests.length;
      for (const request of requests) record(await evaluate(env, principal, request, plan, "ASL"));
    }
  }
  const unexercised: UnexercisedStatement[] = [];
  for (const [key, entry] of statements) {
    const [principal, policy, statement] = key.split("\u0000");
    const envs = entry.envs.filter(
      (env) => !exercised.has(`${env}\u0000${principal}\u0000${policy}\u0000${statement}`),
    );
    if (envs.length > 0) unexercised.push({ ...entry, envs });
  }
  const unusedActions: UnexercisedStatement[] = [];
  for (const [key, entry] of statements) {
    const [principal, policy, statement] = key.split("\u0000");
    const unused = new Map<string, string[]>();
    for (const env of entry.envs) {
      const used = usedActions.get(`${env}\u0000${principal}\u0000${policy}\u0000${statement}`);
      if (!used) continue;
      for (const action of entry.actions.filter((a) => !used.some((u) => actionMatches(a, u)))) {
        unused.set(action, [...(unused.get(action) ?? []), env]);
      }
    }
    if (unused.size > 0) {
      unusedActions.push({
        ...entry,
        actions: [...unused.keys()],
        envs: [...new Set([...unused.values()].flat())],
      });
    }
  }
  const grants = new Set(unexercised.map((u) => u.principal));
  const uncovered = [...planned]
    .filter((p) => !(p in NOT_RECORDED))
    .flatMap((p) => {
      const s = summaries.get(p);
      if (!s || s.suites === 0) return [`${p}: no test recorded as this principal`];
      // No call is right only for code that needs nothing from AWS; a role granting something then
      // means the tests never exercise that code.
      if (s.calls === 0 && grants.has(p)) return [`${p}: no recorded call, yet its policy grants actions`];
      return [];
    });
  return {
    envs: options.envs,
    recordedCalls: calls.length,
    verdicts,
    principals: [...summaries.values()]
      .filter((s) => planned.has(s.principal) && !(s.principal in NOT_RECORDED))
      .sort((a, b) => a.principal.localeCompare(b.principal)),
    uncovered,
    unknownPrincipals: [...unknownPrincipals],
    unexercised,
    unusedActions,
  };
}

/** True when the check fails: a denial, an evaluation error, an uncovered or unknown principal. */
export function failed(report: CheckReport): boolean {
  return (
    report.verdicts.some((v) => v.decision !== "Allowed") ||
    report.uncovered.length > 0 ||
    report.unknownPrincipals.length > 0
  );
}
