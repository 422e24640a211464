/** Connects the offline plan to the CrossGuard pack's policies (filled in when the pack lands). */
import type { LayerPlan, PolicyViolationRecord } from "./plan-types";

export interface PolicyEvaluation {
  evaluate?: (plan: LayerPlan) => PolicyViolationRecord[];
  renderPolicy?: (plans: LayerPlan[]) => string;
  report: (plans: LayerPlan[]) => string;
}

export function policyEvaluation(): PolicyEvaluation {
  return { report: () => "" };
}
