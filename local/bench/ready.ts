/**
 * `pnpm bench:local [--runs N] [--plan dir]`: how long `tradai local up` takes to be ready, per step and
 * in total, with every service the dev plan runs (MLflow included). Starts and stops the platform N times
 * (default 3) from an existing plan (generated first when missing) and prints the figures; it asserts
 * nothing. Plan generation is reported separately (it is skipped when the plan exists).
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parseArgs } from "node:util";
import { generatePlan } from "../src/commands";
import { startPlatform } from "../src/platform";

const REPO_ROOT = path.resolve(__dirname, "..", "..");

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      runs: { type: "string", default: "3" },
      plan: { type: "string", default: path.join(REPO_ROOT, "plan") },
    },
  });
  const runs = Number(values.runs);
  const planDir = path.resolve(values.plan ?? "plan");
  if (!fs.existsSync(path.join(planDir, "dev", "compute.json"))) {
    const started = Date.now();
    await generatePlan(REPO_ROOT, "dev", planDir);
    process.stdout.write(
      `plan generated in ${((Date.now() - started) / 1000).toFixed(1)} s (not part of up)\n`,
    );
  }
  const totals: number[] = [];
  for (let run = 1; run <= runs; run++) {
    const stateDir = fs.mkdtempSync(path.join(os.tmpdir(), "tradai-local-bench-"));
    const platform = await startPlatform({
      repoRoot: REPO_ROOT,
      planDir,
      stateDir,
      renderer: "silent",
      schedules: false,
    });
    totals.push(platform.readySeconds);
    process.stdout.write(`run ${run}: ready in ${platform.readySeconds.toFixed(1)} s\n`);
    for (const t of platform.timings)
      process.stdout.write(`  ${t.step.padEnd(80).slice(0, 80)} ${t.seconds.toFixed(1)} s\n`);
    const stopping = Date.now();
    await platform.stop();
    process.stdout.write(`  stopped in ${((Date.now() - stopping) / 1000).toFixed(1)} s\n`);
    fs.rmSync(stateDir, { recursive: true, force: true });
  }
  const sorted = [...totals].sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)] ?? 0;
  process.stdout.write(
    `ready: min ${sorted[0]?.toFixed(1)} s, median ${median.toFixed(1)} s, max ${sorted.at(-1)?.toFixed(1)} s over ${runs} run(s); load average ${os
      .loadavg()
      .map((l) => l.toFixed(1))
      .join(" ")} on ${os.cpus().length} CPUs\n`,
  );
}

main().catch((error: unknown) => {
  process.stderr.write(
    `bench:local failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exit(1);
});
