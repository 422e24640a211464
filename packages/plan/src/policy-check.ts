/**
 * `pnpm policy:check <plan dir or layer json>...`: evaluates saved plan files again with the policy
 * pack, so a reviewer can edit a plan and see the verdict change. Exit 0: no mandatory violation;
 * 1: mandatory violations; 2: bad arguments or a file that is not a readable layer plan.
 */
import { parseArgs } from "node:util";
import { evaluateLayerPlan, PlanEvaluationError } from "@tradai/policies/evaluate";
import type { LayerPlan } from "./plan-types";
import { inPlanOrder, PlanFileError, planFilesFor, readLayerPlan } from "./policy-plan-file";
import { countViolations, formatPolicyReport } from "./policy-report";

export interface Output {
  stdout(text: string): void;
  stderr(text: string): void;
}

const USAGE = "usage: pnpm policy:check <plan dir or plan/<env>/<layer>.json>...\n";

/** Runs the check and returns the exit code. */
export function runPolicyCheck(argv: string[], out: Output): number {
  let paths: string[];
  try {
    const { positionals, values } = parseArgs({
      args: argv,
      options: { help: { type: "boolean", short: "h" } },
      allowPositionals: true,
      strict: true,
    });
    if (values.help) {
      out.stdout(USAGE);
      return 0;
    }
    paths = positionals;
  } catch (error) {
    out.stderr(`pnpm policy:check: ${(error as Error).message}\n${USAGE}`);
    return 2;
  }
  if (paths.length === 0) {
    out.stderr(`pnpm policy:check: no plan files given\n${USAGE}`);
    return 2;
  }

  const plans: LayerPlan[] = [];
  try {
    for (const file of planFilesFor(paths)) {
      const plan = readLayerPlan(file);
      try {
        plan.policy = { violations: evaluateLayerPlan(plan) };
      } catch (error) {
        if (error instanceof PlanEvaluationError) throw new PlanFileError(`${file}: ${error.message}`);
        throw error;
      }
      plans.push(plan);
    }
  } catch (error) {
    if (error instanceof PlanFileError) {
      out.stderr(`pnpm policy:check: ${error.message}\n`);
      return 2;
    }
    throw error;
  }

  out.stdout(formatPolicyReport(inPlanOrder(plans)));
  const { mandatory } = countViolations(plans);
  if (mandatory > 0) {
    out.stderr(`pnpm policy:check: ${mandatory} mandatory policy violation(s)\n`);
    return 1;
  }
  return 0;
}
