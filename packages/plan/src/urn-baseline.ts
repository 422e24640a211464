/**
 * The URN baseline: the state URNs of every resource the prod plan creates, per program, so a
 * restructuring (a moved file, a renamed component, a new type token) can be checked to keep every
 * existing resource. A baseline URN is kept when a planned resource has it, or when one of the
 * resource's aliases resolves to it: its own `aliases`, or one the engine derives from an alias of
 * its parent (a child of an aliased component keeps its name under the parent's old URN).
 */
import { LAYERS, type Layer } from "@tradai/contracts";
import type { PlannedResource, ProgramPlan } from "./plan-types";
import { runLayer, stateUrn } from "./runtime";

export type BaselineProgram = Layer | "bootstrap";
export const BASELINE_PROGRAMS: readonly BaselineProgram[] = [...LAYERS, "bootstrap"];
/** Bootstrap config the baseline is taken with: a repository, so the GitHub deploy roles are planned. */
export const BASELINE_BOOTSTRAP_CONFIG = { "tradai:repository": "acme/tradai-infra" };

export type UrnBaseline = Record<BaselineProgram, string[]>;

/** Plans every layer and the bootstrap program for prod, each layer fed by the ones before it. */
export async function planBaselinePrograms(): Promise<Record<BaselineProgram, ProgramPlan>> {
  const upstream: Partial<Record<Layer, Record<string, unknown>>> = {};
  const plans: Partial<Record<BaselineProgram, ProgramPlan>> = {};
  for (const layer of LAYERS) {
    const plan = await runLayer({ layer, env: "prod", upstream });
    upstream[layer] = plan.outputs;
    plans[layer] = plan;
  }
  plans.bootstrap = await runLayer({ layer: "bootstrap", env: "prod", config: BASELINE_BOOTSTRAP_CONFIG });
  return plans as Record<BaselineProgram, ProgramPlan>;
}

/** The resource type (last of the qualified chain) and name of a URN. */
function typeAndName(urn: string): { type: string; name: string } {
  const parts = urn.split("::");
  return { type: (parts[2] ?? "").split("$").pop() ?? "", name: parts.slice(3).join("::") };
}

/** The sorted state URNs of a plan. */
export function urnsOf(plan: ProgramPlan): string[] {
  return plan.resources.map((r) => r.stateUrn).sort();
}

/**
 * Every URN a planned resource answers to in existing state: its own, its aliases, and the aliases
 * the engine derives from its parent's (same type and name, or the name with the parent's name
 * prefix swapped for the aliased parent's, under the parent's old URN).
 */
export function knownUrns(plan: ProgramPlan): Map<PlannedResource, Set<string>> {
  const byUrn = new Map(plan.resources.map((r) => [r.urn, r]));
  const result = new Map<PlannedResource, Set<string>>();
  const [stack, project] = [plan.stack, plan.project];
  const urnsOfResource = (r: PlannedResource): Set<string> => {
    const known = result.get(r);
    if (known) return known;
    const urns = new Set([r.stateUrn, ...r.aliases]);
    const parent = r.parent ? byUrn.get(r.parent) : undefined;
    if (parent) {
      // The engine re-parents the resource and each of its own aliases under each alias of its parent
      // (the cross product the SDK's allAliases computes), so a renamed component inside a renamed
      // component keeps its URN with an alias on each.
      const own = [{ type: r.type, name: r.name }, ...r.aliases.map(typeAndName)];
      for (const parentUrn of urnsOfResource(parent)) {
        if (parentUrn === parent.stateUrn) continue;
        const parentName = parent.name;
        const aliasName = parentUrn.split("::").pop() ?? "";
        for (const { type, name } of own) {
          urns.add(stateUrn(stack, project, type, name, parentUrn));
          if (name.startsWith(parentName) && aliasName !== parentName) {
            urns.add(stateUrn(stack, project, type, aliasName + name.slice(parentName.length), parentUrn));
          }
        }
      }
    }
    result.set(r, urns);
    return urns;
  };
  for (const r of plan.resources) urnsOfResource(r);
  return result;
}

export interface BaselineComparison {
  /** Baseline URNs no planned resource answers to: the engine would delete them (and create anew). */
  lost: string[];
  /** Baseline URNs more than one planned resource answers to. */
  claimedTwice: string[];
  /** Planned resources new to the baseline (creations, not replacements). */
  added: string[];
}

/** Compares a program's plan against its baseline URNs. */
export function compareToBaseline(baseline: readonly string[], plan: ProgramPlan): BaselineComparison {
  const claims = new Map<string, number>();
  const added: string[] = [];
  const wanted = new Set(baseline);
  for (const [resource, urns] of knownUrns(plan)) {
    let matched = false;
    for (const urn of urns) {
      if (!wanted.has(urn)) continue;
      claims.set(urn, (claims.get(urn) ?? 0) + 1);
      matched = true;
    }
    if (!matched) added.push(resource.stateUrn);
  }
  return {
    lost: baseline.filter((urn) => !claims.has(urn)),
    claimedTwice: [...claims].filter(([, n]) => n > 1).map(([urn]) => urn),
    added: added.sort(),
  };
}
