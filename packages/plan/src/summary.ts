/** The human side of the offline plan: `plan/<env>/summary.md`. */
import type { LayerPlan, PlannedResource } from "./plan-types";

function countByType(resources: PlannedResource[]): [string, number][] {
  const counts = new Map<string, number>();
  for (const r of resources) {
    if (r.type === "pulumi:pulumi:Stack") continue;
    counts.set(r.type, (counts.get(r.type) ?? 0) + 1);
  }
  return [...counts].sort((a, b) => a[0].localeCompare(b[0]));
}

const nodeId = (urn: string) =>
  `n${Buffer.from(urn)
    .toString("base64url")
    .replace(/[^A-Za-z0-9]/g, "")
    .slice(-24)}`;

/** The component that owns a resource: its nearest non-stack component ancestor (or itself). */
function ownerComponent(
  byUrn: Map<string, PlannedResource>,
  r: PlannedResource,
): PlannedResource | undefined {
  let current: PlannedResource | undefined = r;
  while (current) {
    if (!current.custom && current.type !== "pulumi:pulumi:Stack") {
      const parent = current.parent ? byUrn.get(current.parent) : undefined;
      if (!parent || parent.type === "pulumi:pulumi:Stack") return current;
    }
    current = current.parent ? byUrn.get(current.parent) : undefined;
  }
  return undefined;
}

/**
 * A mermaid graph of each layer's top-level components, with an arrow where a component's resources
 * depend on another component's.
 */
export function componentGraph(plans: LayerPlan[]): string {
  const lines = ["graph LR"];
  for (const plan of plans) {
    const byUrn = new Map(plan.resources.map((r) => [r.urn, r]));
    const components = plan.resources.filter((r) => {
      if (r.custom || r.type === "pulumi:pulumi:Stack") return false;
      const parent = r.parent ? byUrn.get(r.parent) : undefined;
      return !parent || parent.type === "pulumi:pulumi:Stack";
    });
    lines.push(`  subgraph ${plan.layer}`);
    for (const c of components) lines.push(`    ${nodeId(c.urn)}["${c.name}<br/><small>${c.type}</small>"]`);
    lines.push("  end");
    const edges = new Set<string>();
    for (const r of plan.resources) {
      const from = ownerComponent(byUrn, r);
      if (!from) continue;
      const deps = [...r.dependsOn, ...Object.values(r.propertyDependencies).flat()];
      for (const dep of deps) {
        const target = byUrn.get(dep);
        const to = target ? ownerComponent(byUrn, target) : undefined;
        if (to && to.urn !== from.urn) edges.add(`  ${nodeId(from.urn)} --> ${nodeId(to.urn)}`);
      }
    }
    lines.push(...[...edges].sort());
  }
  return lines.join("\n");
}

/** Markdown summary of one environment's planned layers. `policySection` is appended verbatim. */
export function renderSummary(env: string, plans: LayerPlan[], policySection = ""): string {
  const out: string[] = [`# Offline plan: ${env}`, ""];
  out.push("| layer | resources | components |", "|---|---:|---:|");
  for (const p of plans) {
    const resources = p.resources.filter((r) => r.custom && r.type !== "pulumi:pulumi:StackReference").length;
    const components = p.resources.filter((r) => !r.custom && r.type !== "pulumi:pulumi:Stack").length;
    out.push(`| ${p.layer} | ${resources} | ${components} |`);
  }
  for (const p of plans) {
    out.push("", `## ${p.layer}: resources by type`, "", "| type | count |", "|---|---:|");
    for (const [type, count] of countByType(p.resources)) out.push(`| \`${type}\` | ${count} |`);
  }
  out.push("", "## Components", "", "```mermaid", componentGraph(plans), "```");
  if (policySection) out.push("", policySection);
  return `${out.join("\n")}\n`;
}
