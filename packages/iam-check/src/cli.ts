/**
 * `pnpm iam:check [--plan <dir>] [--calls <dir>] [--env dev|staging|prod]... [--json <file>]`
 * Replays the AWS calls the Lambda and service tests recorded (reports/iam-calls, written by the jest
 * run) against the IAM policies of the offline plan. Without --plan it plans first (into
 * reports/iam-plan). Exit 0: every call allowed and every principal covered; 1: a denial, an
 * uncovered principal or a call the check cannot evaluate; 2: bad arguments.
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { parseArgs } from "node:util";
import { failed, readRecordings, runCheck } from "./check";
import { renderReport } from "./report";

const REPO_ROOT = path.resolve(__dirname, "..", "..", "..");
const ENVS = ["dev", "staging", "prod"];

async function main(): Promise<number> {
  let values: { plan?: string; calls?: string; env?: string[]; json?: string };
  try {
    ({ values } = parseArgs({
      options: {
        plan: { type: "string" },
        calls: { type: "string", default: path.join(REPO_ROOT, "reports", "iam-calls") },
        env: { type: "string", multiple: true },
        json: { type: "string" },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    process.stderr.write(`pnpm iam:check: ${(error as Error).message}\n`);
    return 2;
  }
  const envs = values.env?.length ? values.env : ENVS;
  const unknown = envs.filter((e) => !ENVS.includes(e));
  if (unknown.length > 0) {
    process.stderr.write(`pnpm iam:check: unknown environment ${unknown.join(", ")} (dev, staging, prod)\n`);
    return 2;
  }
  let planDir = values.plan;
  if (!planDir) {
    planDir = path.join(REPO_ROOT, "reports", "iam-plan");
    const args = ["plan", "--out", planDir, ...envs.flatMap((e) => ["--env", e])];
    const run = spawnSync("pnpm", args, { cwd: REPO_ROOT, stdio: ["ignore", "ignore", "inherit"] });
    // `pnpm plan` exits 1 on a mandatory policy violation after writing the plan; that is its report.
    if (run.status !== 0 && run.status !== 1) {
      process.stderr.write(`pnpm iam:check: pnpm plan failed (exit ${run.status})\n`);
      return 1;
    }
  }
  const recordings = readRecordings(values.calls ?? "");
  if (recordings.length === 0) {
    process.stderr.write(
      `pnpm iam:check: no recordings in ${values.calls}: run the Lambda and service tests first (pnpm test)\n`,
    );
    return 1;
  }
  const report = await runCheck({ planDir, envs, recordings });
  process.stdout.write(renderReport(report));
  if (values.json) fs.writeFileSync(values.json, `${JSON.stringify(report, null, 2)}\n`);
  return failed(report) ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(
      `pnpm iam:check failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    process.exit(1);
  },
);
