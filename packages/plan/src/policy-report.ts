/**
 * How a policy verdict is shown: `formatPolicyReport` is the console report printed by `pnpm plan` and
 * `pnpm policy:check`; `renderPolicySection` is the markdown section of `plan/<env>/summary.md`.
 * Both read `plan.policy.violations` and list mandatory violations first.
 */
import type { LayerPlan, PolicyViolationRecord } from "./plan-types";

/** Counts of mandatory and advisory violations. */
export interface ViolationCounts {
  mandatory: number;
  advisory: number;
}

export function countViolations(plans: LayerPlan[]): ViolationCounts {
  const all = plans.flatMap((p) => p.policy?.violations ?? []);
  const mandatory = all.filter((v) => v.enforcement === "mandatory").length;
  return { mandatory, advisory: all.length - mandatory };
}

/** `type::name` of a URN (the part a reviewer recognises), or "(stack)" for a stack-level violation. */
export function resourceLabel(urn: string): string {
  const parts = urn.split("::");
  if (parts.length < 4) return urn || "(stack)";
  const type = parts[2]?.split("$").pop() ?? "";
  return `${type}::${parts.slice(3).join("::")}`;
}

const ORDER: Record<PolicyViolationRecord["enforcement"], number> = { mandatory: 0, advisory: 1 };

function sorted(violations: PolicyViolationRecord[]): PolicyViolationRecord[] {
  return [...violations].sort(
    (a, b) =>
      ORDER[a.enforcement] - ORDER[b.enforcement] ||
      a.policy.localeCompare(b.policy) ||
      a.urn.localeCompare(b.urn) ||
      a.message.localeCompare(b.message),
  );
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;

function countsText({ mandatory, advisory }: ViolationCounts): string {
  return `${plural(mandatory, "mandatory violation")}, ${plural(advisory, "advisory violation")}`;
}

/** The console report: a total, then each layer with its violations (plans without a verdict are skipped). */
export function formatPolicyReport(plans: LayerPlan[]): string {
  const judged = plans.filter((p) => p.policy);
  if (judged.length === 0) return "";
  const lines = [`Policy verdict (tradai-guardrails): ${countsText(countViolations(judged))}`];
  for (const plan of judged) {
    const violations = sorted(plan.policy?.violations ?? []);
    const where = `${plan.stack}/${plan.layer}`;
    if (violations.length === 0) {
      lines.push(`  ${where}: no violations`);
      continue;
    }
    lines.push(`  ${where}: ${countsText(countViolations([plan]))}`);
    for (const v of violations) {
      lines.push(`    ${v.enforcement.toUpperCase()} ${v.policy} ${resourceLabel(v.urn)}`);
      lines.push(`      ${v.message.replace(/\n/g, "\n      ")}`);
    }
  }
  return `${lines.join("\n")}\n`;
}

const cell = (text: string) => text.replace(/\|/g, "\\|").replace(/\n/g, "<br>");

/** The markdown section appended to an environment's summary.md. */
export function renderPolicySection(plans: LayerPlan[]): string {
  const judged = plans.filter((p) => p.policy);
  if (judged.length === 0) return "";
  const counts = countViolations(judged);
  const out = ["## Policy verdict (tradai-guardrails)", "", `**${countsText(counts)}**`];
  const rows = judged.flatMap((p) => sorted(p.policy?.violations ?? []).map((v) => ({ layer: p.layer, v })));
  if (rows.length > 0) {
    out.push("", "| layer | enforcement | policy | resource | message |", "|---|---|---|---|---|");
    for (const { layer, v } of rows) {
      out.push(
        `| ${layer} | ${v.enforcement} | \`${v.policy}\` | \`${cell(resourceLabel(v.urn))}\` | ${cell(v.message)} |`,
      );
    }
  }
  return out.join("\n");
}
