/**
 * `pnpm plan:urn-baseline [--out <file>]`: writes the prod plan's state URNs per program (sorted JSON).
 * Run it only to accept a deliberate change of resources; review the diff of the baseline file.
 */
import * as fs from "node:fs";
import { parseArgs } from "node:util";
import { BASELINE_PROGRAMS, planBaselinePrograms, type UrnBaseline, urnsOf } from "./urn-baseline";

export const DEFAULT_BASELINE = "packages/plan/test/fixtures/urn-baseline.prod.json";

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { out: { type: "string", default: DEFAULT_BASELINE } } });
  const plans = await planBaselinePrograms();
  const baseline = Object.fromEntries(BASELINE_PROGRAMS.map((p) => [p, urnsOf(plans[p])])) as UrnBaseline;
  fs.writeFileSync(values.out ?? DEFAULT_BASELINE, `${JSON.stringify(baseline, null, 2)}\n`);
  for (const p of BASELINE_PROGRAMS) process.stdout.write(`${p}: ${baseline[p].length} URNs\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(
    `urn baseline failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exit(1);
});
