/**
 * `pnpm bench:images [--no-write] [scenario...]`: applies each image scenario (image-scenarios.ts) to a
 * temporary copy of the repository, plans compute (dev) before and after, and prints what each change
 * rebuilds and updates against its target. Writes the table into docs/performance.md (between the
 * `bench:images` markers) unless --no-write. Exits 1 when a scenario misses its target.
 *
 * A benchmark, not a test: it also prints how long each step took on this machine.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { REPO_ROOT } from "@tradai/components/platform";
import { type Counts, runScenarios, SCENARIOS, type ScenarioOutcome } from "./image-scenarios";

const REPORT = path.join(REPO_ROOT, "docs", "performance.md");
const BEGIN = "<!-- bench:images begin -->";
const END = "<!-- bench:images end -->";

const fmt = (c: Counts) => `${c.images} / ${c.functions} / ${c.services}`;
const same = (a: Counts, b: Counts) =>
  a.images === b.images && a.functions === b.functions && a.services === b.services;

export function renderTable(outcomes: readonly ScenarioOutcome[]): string {
  const lines = [
    "| scenario | target (images / functions / services) | measured: images rebuilt | functions updated | services updated | |",
    "|---|---|---:|---:|---:|---|",
  ];
  for (const o of outcomes) {
    const names = o.changes.images.map((i) => i.name);
    const shown =
      names.length > 4 ? `${names.slice(0, 3).join(", ")}, ... (${names.length})` : names.join(", ");
    lines.push(
      `| ${o.scenario.title} | ${fmt(o.scenario.target)} | ${o.measured.images}${shown ? ` (${shown})` : ""} | ${o.measured.functions} | ${o.measured.services} | ${same(o.measured, o.scenario.target) ? "meets target" : "**MISSES target**"} |`,
    );
  }
  return lines.join("\n");
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const write = !args.includes("--no-write");
  const only = args.filter((a) => !a.startsWith("--"));
  const unknown = only.filter((id) => !SCENARIOS.some((s) => s.id === id));
  if (unknown.length) {
    process.stderr.write(
      `unknown scenario ${unknown.join(", ")}; known: ${SCENARIOS.map((s) => s.id).join(", ")}\n`,
    );
    process.exit(2);
  }
  const started = Date.now();
  const run = await runScenarios({
    only: only.length ? only : undefined,
    log: (line) => process.stderr.write(`${line}\n`),
  });
  try {
    const table = renderTable(run.outcomes);
    const timing = [
      `copy + offline install ${(run.setupMs / 1000).toFixed(1)} s, fresh-clone plan (bundles from source, cache seeded)`,
      `${(run.freshCloneMs / 1000).toFixed(1)} s, then per scenario: ${run.outcomes
        .map((o) => `${o.scenario.id} ${(o.ms / 1000).toFixed(1)} s`)
        .join(", ")}`,
    ].join(" ");
    process.stdout.write(`${table}\n\n${timing}\n`);
    if (write && !only.length) {
      const block = [
        BEGIN,
        `Measured ${new Date().toISOString().slice(0, 16).replace("T", " ")} UTC with \`pnpm bench:images\` (compute layer, dev,`,
        `Node ${process.version}, total ${((Date.now() - started) / 1000).toFixed(0)} s on a shared machine).`,
        "",
        table,
        "",
        `Timing: ${timing}.`,
        END,
      ].join("\n");
      const text = fs.readFileSync(REPORT, "utf8");
      const at = text.indexOf(BEGIN);
      const next =
        at >= 0
          ? `${text.slice(0, at)}${block}${text.slice(text.indexOf(END) + END.length)}`
          : `${text.trimEnd()}\n\n${block}\n`;
      fs.writeFileSync(REPORT, next);
      process.stdout.write(`wrote ${path.relative(REPO_ROOT, REPORT)}\n`);
    }
    if (run.outcomes.some((o) => !same(o.measured, o.scenario.target))) process.exitCode = 1;
  } finally {
    run.close();
    run.workspace.dispose();
  }
}

if (require.main === module) {
  main().catch((error: unknown) => {
    process.stderr.write(
      `bench:images failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    process.exit(1);
  });
}
