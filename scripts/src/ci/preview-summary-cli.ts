/**
 * Renders the pull request's infrastructure summary (see preview-summary.ts) for the deploy-infra workflow.
 *
 *   tsx scripts/src/ci/preview-summary-cli.ts --previews <dir> [--out <file>] [--footer <line>]...
 *     <dir>/<env>/<layer>.txt (the Pulumi action's output) or <layer>.json (`pulumi preview --json`),
 *     and <dir>/<env>/<layer>.outcome (`success` or `failure`, the step's outcome)
 *   tsx scripts/src/ci/preview-summary-cli.ts --plan <dir> [--out <file>]
 *     the offline plan: <dir>/<env>/<layer>.json as `pnpm plan` writes them
 *
 * --changes <file> (repeatable): a `changes.json` that `pnpm plan --base` wrote; the images the change
 * rebuilds and the functions and services it updates are shown under the table (a missing file is skipped:
 * the base could not be planned).
 *
 * Writes the markdown to --out (or stdout). Exits 1 when a preview failed or violates a mandatory policy
 * (after writing the summary), 2 on bad arguments or unreadable input.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { parseArgs } from "node:util";
import { ENVIRONMENTS, LAYERS } from "@tradai/contracts";
import type { PlanChanges } from "@tradai/plan/changes";
import type { LayerPlan } from "@tradai/plan/types";
import { anyFailure, offlineCell, type PreviewCell, parsePreview, renderSummary } from "./preview-summary";

/** Reads one directory of preview outputs into cells; layers with no output file are left out (not run). */
export function readPreviews(dir: string): PreviewCell[] {
  const cells: PreviewCell[] = [];
  for (const env of ENVIRONMENTS) {
    for (const layer of LAYERS) {
      const base = path.join(dir, env, layer);
      const file = [`${base}.txt`, `${base}.json`].find((f) => fs.existsSync(f));
      const outcomeFile = `${base}.outcome`;
      if (!file && !fs.existsSync(outcomeFile)) continue;
      const outcome = fs.existsSync(outcomeFile) ? fs.readFileSync(outcomeFile, "utf8").trim() : "success";
      if (!["success", "failure", "skipped", "cancelled"].includes(outcome)) {
        throw new Error(`${outcomeFile}: unknown outcome "${outcome}" (expected success or failure)`);
      }
      const counts = file
        ? parsePreview(fs.readFileSync(file, "utf8"))
        : { create: 0, update: 0, replace: 0, delete: 0, policy: null };
      const status = outcome === "success" ? "ok" : outcome === "failure" ? "failed" : "skipped";
      cells.push({ env, layer, status, ...counts });
    }
  }
  return cells;
}

/** Reads the offline plan's layer files (`plan/<env>/<layer>.json`). */
export function readPlan(dir: string): PreviewCell[] {
  const cells: PreviewCell[] = [];
  for (const env of ENVIRONMENTS) {
    for (const layer of LAYERS) {
      const file = path.join(dir, env, `${layer}.json`);
      if (!fs.existsSync(file)) continue;
      cells.push(offlineCell(JSON.parse(fs.readFileSync(file, "utf8")) as LayerPlan));
    }
  }
  return cells;
}

export function main(argv: string[]): number {
  let values: { previews?: string; plan?: string; out?: string; footer?: string[]; changes?: string[] };
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        previews: { type: "string" },
        plan: { type: "string" },
        out: { type: "string" },
        footer: { type: "string", multiple: true },
        changes: { type: "string", multiple: true },
      },
    }));
  } catch (error) {
    process.stderr.write(`error: ${(error as Error).message}\n`);
    return 2;
  }
  const source = values.previews ?? values.plan;
  if (!source || (values.previews && values.plan)) {
    process.stderr.write("usage: preview-summary-cli (--previews <dir> | --plan <dir>) [--out <file>]\n");
    return 2;
  }
  let cells: PreviewCell[];
  let changes: PlanChanges[];
  try {
    cells = values.previews ? readPreviews(source) : readPlan(source);
    changes = (values.changes ?? [])
      .filter((file) => fs.existsSync(file))
      .map((file) => JSON.parse(fs.readFileSync(file, "utf8")) as PlanChanges);
  } catch (error) {
    process.stderr.write(`error: ${(error as Error).message}\n`);
    return 2;
  }
  const markdown = renderSummary(cells, {
    title: values.previews
      ? "Infrastructure preview (pulumi preview with the policy pack)"
      : "Offline plan (fork pull request: no AWS access, every resource counted as an add)",
    footer: values.footer,
    changes,
    envs: ENVIRONMENTS,
    layers: LAYERS,
  });
  if (values.out) fs.writeFileSync(values.out, markdown);
  else process.stdout.write(markdown);
  return anyFailure(cells) ? 1 : 0;
}

if (require.main === module) process.exitCode = main(process.argv.slice(2));
