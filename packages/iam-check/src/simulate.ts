/**
 * A small, reusable front to the IAM policy simulator (@cloud-copilot/iam-simulate, offline): one
 * request against a set of identity policies and, optionally, the resource's own policy (a bucket,
 * topic, key or trust policy). It validates actions, ARNs and context keys against the IAM data set and
 * reports which statements allowed or denied the request.
 */
import { runSimulation, type Simulation } from "@cloud-copilot/iam-simulate";

export interface PolicyStatement {
  Sid?: string;
  Effect: "Allow" | "Deny";
  Action?: string | string[];
  NotAction?: string | string[];
  Resource?: string | string[];
  NotResource?: string | string[];
  Principal?: unknown;
  NotPrincipal?: unknown;
  Condition?: Record<string, Record<string, unknown>>;
}

export interface PolicyDocument {
  Version?: string;
  Id?: string;
  Statement: PolicyStatement | PolicyStatement[];
}

export interface SimulationRequest {
  /** `service:Action`, e.g. `dynamodb:PutItem`. */
  action: string;
  /** The resource ARN (or `*` for actions without resource-level permissions). */
  resource: string;
  /** ARN of the calling principal (a role) or a service/federated principal for trust policies. */
  principal: string;
  /** Account owning the resource. @default the principal's account */
  resourceAccount?: string;
  /** Request context, e.g. `{ "ecs:cluster": "arn:..." }`. */
  context?: Record<string, string | string[]>;
  /** The resource's policy (bucket, topic, queue, key or role trust policy), if it has one. */
  resourcePolicy?: PolicyDocument;
}

/** A statement that decided or took part in the decision: its policy name and Sid (or 1-based index). */
export interface StatementRef {
  policy: string;
  statement: string;
}

export interface SimulationOutcome {
  decision: "Allowed" | "ExplicitlyDenied" | "ImplicitlyDenied";
  /** Identity and resource policy statements that allow the request. */
  allowedBy: StatementRef[];
  /** Statements whose explicit Deny applies. */
  deniedBy: StatementRef[];
}

/** The simulator rejected the request itself (unknown action, ARN of the wrong type, bad policy, ...). */
export class SimulationInputError extends Error {
  constructor(
    readonly request: SimulationRequest,
    readonly details: unknown,
  ) {
    super(`IAM simulator rejected ${request.action} on ${request.resource}: ${JSON.stringify(details)}`);
    this.name = "SimulationInputError";
  }
}

function accountOf(arn: string): string {
  return arn.split(":")[4] ?? "";
}

interface Analysis {
  result?: string;
  identityAnalysis?: { allowStatements?: Analysed[]; denyStatements?: Analysed[] };
  resourceAnalysis?: { allowStatements?: Analysed[]; denyStatements?: Analysed[] };
}
interface Analysed {
  policyId?: string;
  explain?: { identifier?: string };
}

function refs(list: Analysed[] | undefined, fallbackPolicy: string): StatementRef[] {
  return (list ?? []).map((s) => ({
    policy: s.policyId ?? fallbackPolicy,
    statement: s.explain?.identifier ?? "?",
  }));
}

function unique(list: StatementRef[]): StatementRef[] {
  const seen = new Set<string>();
  return list.filter((r) => {
    const key = `${r.policy}\u0000${r.statement}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/**
 * Evaluates `request` against `policies` (identity policies by name) and the optional resource policy.
 * Throws SimulationInputError when the simulator cannot evaluate the request as given.
 */
export async function simulate(
  policies: Record<string, PolicyDocument>,
  request: SimulationRequest,
): Promise<SimulationOutcome> {
  const simulation: Simulation = {
    request: {
      principal: request.principal,
      action: request.action,
      resource: {
        resource: request.resource,
        accountId: request.resourceAccount ?? accountOf(request.resource) ?? accountOf(request.principal),
      },
      contextVariables: request.context ?? {},
    },
    identityPolicies: Object.entries(policies).map(([name, policy]) => ({ name, policy })),
    serviceControlPolicies: [],
    resourceControlPolicies: [],
    ...(request.resourcePolicy ? { resourcePolicy: request.resourcePolicy } : {}),
  };
  if (!simulation.request.resource.accountId)
    simulation.request.resource.accountId = accountOf(request.principal);
  const response = await runSimulation(simulation, {});
  if (response.resultType === "error") throw new SimulationInputError(request, response.errors);
  const analyses: Analysis[] =
    response.resultType === "single"
      ? [response.result.analysis as Analysis]
      : response.results.map((r) => r.analysis as Analysis);
  const allowedBy: StatementRef[] = [];
  const deniedBy: StatementRef[] = [];
  for (const analysis of analyses) {
    if (!analysis) continue;
    allowedBy.push(...refs(analysis.identityAnalysis?.allowStatements, "identity"));
    allowedBy.push(...refs(analysis.resourceAnalysis?.allowStatements, "resource"));
    deniedBy.push(...refs(analysis.identityAnalysis?.denyStatements, "identity"));
    deniedBy.push(...refs(analysis.resourceAnalysis?.denyStatements, "resource"));
  }
  return {
    decision: response.overallResult as SimulationOutcome["decision"],
    allowedBy: unique(allowedBy),
    deniedBy: unique(deniedBy),
  };
}
