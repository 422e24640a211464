/**
 * Connects the offline plan to the CrossGuard pack: `pnpm plan` evaluates each planned layer with the
 * pack's policy objects, appends the verdict to summary.md and prints the same report as
 * `pnpm policy:check`. Imports the `@tradai/policies/evaluate` entry only: the package's index.ts starts the
 * analyzer's gRPC server.
 */
import { evaluateLayerPlan } from "@tradai/policies/evaluate";
import type { LayerPlan, PolicyViolationRecord } from "./plan-types";
import { formatPolicyReport, renderPolicySection } from "./policy-report";

export interface PolicyEvaluation {
  evaluate?: (plan: LayerPlan) => PolicyViolationRecord[];
  renderPolicy?: (plans: LayerPlan[]) => string;
  report: (plans: LayerPlan[]) => string;
}

export function policyEvaluation(): PolicyEvaluation {
  return {
    evaluate: (plan) => evaluateLayerPlan(plan),
    renderPolicy: renderPolicySection,
    report: formatPolicyReport,
  };
}
