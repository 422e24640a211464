/**
 * The parts of the offline plan file (`LayerPlan` in packages/plan/src/plan-types.ts) that policy
 * evaluation reads. Declared structurally here because scripts depends on this package, not the
 * reverse; a `LayerPlan` is assignable to `EvaluablePlan`.
 */

/** One planned resource: the fields of `PlannedResource` the policies see. */
export interface EvaluableResource {
  urn: string;
  type: string;
  name: string;
  parent: string | null;
  dependsOn: string[];
  propertyDependencies: Record<string, string[]>;
  protect: boolean;
  /** `<provider urn>::<provider id>`, or null for the default provider. */
  provider: string | null;
  /** Plain JSON inputs; unknown values are the string "<computed>". */
  inputs: Record<string, unknown>;
  /**
   * True for a resource read with `Resource.get` (not managed by the stack). The engine does not run
   * resource policies on reads; a plan that marks them gets the same treatment.
   */
  read?: boolean;
}

/** A layer's plan. */
export interface EvaluablePlan {
  stack: string;
  resources: EvaluableResource[];
}

/** One violation, as written into `plan/<env>/<layer>.json` under `policy.violations`. */
export interface PolicyViolationRecord {
  policy: string;
  enforcement: "mandatory" | "advisory";
  urn: string;
  message: string;
}

/** How the offline plan writes a value unknown during preview. */
export const COMPUTED = "<computed>";
