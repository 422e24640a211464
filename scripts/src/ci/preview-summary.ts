/**
 * The pull request's infrastructure summary: one markdown table (layer x environment: adds, changes,
 * deletes, policy result) built from each `pulumi preview` the deploy-infra workflow ran, or, for a fork's
 * pull request (no credentials), from the offline plan (`pnpm plan`).
 *
 * Inputs per layer and environment are the Pulumi GitHub action's `output` (the preview's text), or
 * `pulumi preview --json` (whose JSON carries no policy results: the Pulumi CLI leaves policy events out of
 * it), plus the step's outcome.
 */
import type { Environment, Layer } from "@tradai/contracts";
import { type PlanChanges, renderChanges } from "@tradai/plan/changes";
import type { LayerPlan } from "@tradai/plan/types";

/** Hidden marker that identifies the summary comment, so each run edits it instead of adding another. */
export const PREVIEW_COMMENT_MARKER = "<!-- tradai-preview-summary -->";

/** Result of previewing one layer of one environment. */
export interface PreviewCell {
  env: Environment;
  layer: Layer;
  /** `ok`: the preview ran; `failed`: it errored (policy or program); `skipped`: it did not run. */
  status: "ok" | "failed" | "skipped";
  create: number;
  update: number;
  replace: number;
  delete: number;
  /** Policy violations by enforcement level; null when unknown (JSON input, or no preview). */
  policy: { mandatory: number; advisory: number } | null;
}

/** Counts read from one preview's output. */
export type PreviewCounts = Pick<PreviewCell, "create" | "update" | "replace" | "delete" | "policy">;

// Pulumi colours its output unless told not to; strip ANSI escapes before matching.
const ANSI = new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*m`, "g");

function countOf(text: string, pattern: RegExp): number {
  const match = pattern.exec(text);
  return match?.[1] ? Number(match[1]) : 0;
}

/**
 * Reads the `Resources:` summary and the policy violations from `pulumi preview` text output, e.g.
 * `+ 3 to create`, `~ 1 to update`, `+-1 to replace`, `- 2 to delete`, `[mandatory]  <policy> ...`.
 */
export function parsePreviewText(raw: string): PreviewCounts {
  const text = raw.replace(ANSI, "");
  const at = text.lastIndexOf("Resources:");
  const resources = at >= 0 ? text.slice(at) : "";
  const mandatory = text.match(/^\s*(?:-\s*)?\[mandatory\]/gm)?.length ?? 0;
  const advisory = text.match(/^\s*(?:-\s*)?\[advisory\]/gm)?.length ?? 0;
  const policiesRan = /^\s*Polic(?:ies|y Violations):/m.test(text) || mandatory + advisory > 0;
  return {
    create: countOf(resources, /^\s*\+\s*(\d+) to create/m),
    update: countOf(resources, /^\s*~\s*(\d+) to update/m),
    replace: countOf(resources, /^\s*\+-\s*(\d+) to replace/m),
    delete: countOf(resources, /^\s*-\s*(\d+) to delete/m),
    policy: policiesRan ? { mandatory, advisory } : null,
  };
}

/** Reads `changeSummary` of `pulumi preview --json` (policy results are not in that document). */
export function parsePreviewJson(text: string): PreviewCounts {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (error) {
    throw new Error(`not a pulumi preview --json document: ${(error as Error).message}`);
  }
  const summary =
    typeof doc === "object" && doc !== null && "changeSummary" in doc ? doc.changeSummary : undefined;
  if (typeof summary !== "object" || summary === null) {
    throw new Error("not a pulumi preview --json document: no changeSummary");
  }
  const counts = summary as Record<string, unknown>;
  const n = (key: string) => (typeof counts[key] === "number" ? (counts[key] as number) : 0);
  return {
    create: n("create"),
    update: n("update"),
    replace: n("replace"),
    delete: n("delete"),
    policy: null,
  };
}

/** Parses one preview's output: JSON when it is a JSON document, otherwise the CLI's text. */
export function parsePreview(output: string): PreviewCounts {
  return output.trimStart().startsWith("{") ? parsePreviewJson(output) : parsePreviewText(output);
}

/** What the offline plan says for one layer: every custom resource would be created. */
export function offlineCell(plan: LayerPlan): PreviewCell {
  const violations = plan.policy?.violations ?? [];
  return {
    env: plan.stack,
    layer: plan.layer,
    status: "ok",
    create: plan.resources.filter((r) => r.custom).length,
    update: 0,
    replace: 0,
    delete: 0,
    policy: {
      mandatory: violations.filter((v) => v.enforcement === "mandatory").length,
      advisory: violations.filter((v) => v.enforcement === "advisory").length,
    },
  };
}

function policyText(cell: PreviewCell): string {
  if (cell.status === "skipped") return "not run";
  const p = cell.policy;
  if (!p) return cell.status === "failed" ? "❌ preview failed" : "n/a";
  const parts: string[] = [];
  if (p.mandatory) parts.push(`${p.mandatory} mandatory`);
  if (p.advisory) parts.push(`${p.advisory} advisory`);
  if (p.mandatory) return `❌ ${parts.join(", ")}`;
  if (cell.status === "failed") return `❌ preview failed${parts.length ? ` (${parts.join(", ")})` : ""}`;
  return parts.length ? `⚠️ ${parts.join(", ")}` : "✅ pass";
}

function countText(cell: PreviewCell, n: number): string {
  return cell.status === "ok" ? String(n) : "—";
}

export interface RenderOptions {
  /**
   * What the change rebuilds and updates (`pnpm plan --base`, plan-changes.ts), shown under the table:
   * the images docker-build will rebuild, with why, and the functions and services that will update.
   */
  changes?: PlanChanges[];
  /** Heading line above the table. */
  title: string;
  /** Lines under the table (run link, commit). */
  footer?: string[];
  envs: readonly Environment[];
  layers: readonly Layer[];
}

/**
 * The comment body: marker, title, the table (rows in layer order within each environment) and a
 * verdict line. A cell missing from `cells` is shown as not run.
 */
export function renderSummary(cells: readonly PreviewCell[], options: RenderOptions): string {
  const lines = [
    PREVIEW_COMMENT_MARKER,
    `### ${options.title}`,
    "",
    "| environment | layer | adds | changes | deletes | policy |",
    "|---|---|---:|---:|---:|---|",
  ];
  const shown: PreviewCell[] = [];
  for (const env of options.envs) {
    for (const layer of options.layers) {
      const cell = cells.find((c) => c.env === env && c.layer === layer) ?? skipped(env, layer);
      shown.push(cell);
      const changes = cell.replace
        ? `${countText(cell, cell.update + cell.replace)} (${cell.replace} replaced)`
        : countText(cell, cell.update);
      lines.push(
        `| ${env} | ${layer} | ${countText(cell, cell.create)} | ${changes} | ${countText(cell, cell.delete)} | ${policyText(cell)} |`,
      );
    }
  }
  const failed = shown.filter((c) => c.status === "failed" || (c.policy?.mandatory ?? 0) > 0).length;
  const notRun = shown.filter((c) => c.status === "skipped").length;
  const verdict = failed
    ? [`**${failed} of ${shown.length} previews failed or violate a mandatory policy.**`]
    : notRun
      ? ["No preview failed."]
      : [`All ${shown.length} previews passed.`];
  if (notRun) verdict.push(`${notRun} did not run (see the run log).`);
  lines.push("", verdict.join(" "));
  for (const change of options.changes ?? []) {
    lines.push(
      "",
      "#### What this change rebuilds (offline plan against the base branch)",
      "",
      renderChanges(change).trimEnd(),
    );
  }
  if (options.footer?.length) lines.push("", ...options.footer);
  return `${lines.join("\n")}\n`;
}

function skipped(env: Environment, layer: Layer): PreviewCell {
  return { env, layer, status: "skipped", create: 0, update: 0, replace: 0, delete: 0, policy: null };
}

/** True when any cell failed or violates a mandatory policy (the workflow then fails). */
export function anyFailure(cells: readonly PreviewCell[]): boolean {
  return cells.some((c) => c.status === "failed" || (c.policy?.mandatory ?? 0) > 0);
}
