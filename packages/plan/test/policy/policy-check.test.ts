/**
 * `pnpm policy:check` over saved plans: a compliant prod plan passes, flipping a prod table's deletion
 * protection fails naming that table, and bad input exits 2 with a message naming the file.
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { type Output, runPolicyCheck } from "../../src/policy-check";

const FIXTURE_DIR = path.join(__dirname, "fixtures", "plan");
const PROD_PERSISTENT = path.join(FIXTURE_DIR, "prod", "persistent.json");
const JOBS_URN = "urn:pulumi:prod::tradai-persistent::aws:dynamodb/table:Table::jobs";

function run(args: string[]): { code: number; stdout: string; stderr: string } {
  let stdout = "";
  let stderr = "";
  const out: Output = { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t) };
  const code = runPolicyCheck(args, out);
  return { code, stdout, stderr };
}

let tmp: string;
beforeEach(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), "policy-check-"));
});
afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

/** A copy of the prod fixture under tmp/plan/prod, with `edit` applied to its parsed JSON. */
function editedCopy(
  edit: (plan: { resources: Array<{ urn: string; inputs: Record<string, unknown> }> }) => void,
) {
  const dir = path.join(tmp, "plan", "prod");
  fs.mkdirSync(dir, { recursive: true });
  const plan = JSON.parse(fs.readFileSync(PROD_PERSISTENT, "utf8"));
  edit(plan);
  const file = path.join(dir, "persistent.json");
  fs.writeFileSync(file, JSON.stringify(plan, null, 2));
  return file;
}

const flipJobsProtection = (plan: { resources: Array<{ urn: string; inputs: Record<string, unknown> }> }) => {
  const jobs = plan.resources.find((r) => r.urn === JOBS_URN);
  if (!jobs) throw new Error("fixture lost its jobs table");
  jobs.inputs.deletionProtectionEnabled = false;
};

describe("pnpm policy:check", () => {
  it("passes the compliant prod plan, given as a directory", () => {
    const result = run([FIXTURE_DIR]);
    expect(result).toEqual({
      code: 0,
      stdout:
        "Policy verdict (tradai-guardrails): 0 mandatory violations, 0 advisory violations\n  prod/persistent: no violations\n",
      stderr: "",
    });
  });

  it("fails when a prod table's deletion protection is flipped, naming the table", () => {
    const file = editedCopy(flipJobsProtection);
    const result = run([file]);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe(
      [
        "Policy verdict (tradai-guardrails): 1 mandatory violation, 0 advisory violations",
        "  prod/persistent: 1 mandatory violation, 0 advisory violations",
        "    MANDATORY dynamodb-table-deletion-protection aws:dynamodb/table:Table::jobs",
        '      DynamoDB table "jobs" must set deletionProtectionEnabled: true.',
        "",
      ].join("\n"),
    );
    expect(result.stderr).toBe("pnpm policy:check: 1 mandatory policy violation(s)\n");
  });

  it("exits 1 as a real process too (the root script's entry point)", () => {
    const file = editedCopy(flipJobsProtection);
    const cli = path.join(__dirname, "..", "..", "src", "policy-check-cli.ts");
    const child = spawnSync(process.execPath, [require.resolve("tsx/cli"), cli, file], { encoding: "utf8" });
    expect(child.status).toBe(1);
    expect(child.stdout).toContain(
      "MANDATORY dynamodb-table-deletion-protection aws:dynamodb/table:Table::jobs",
    );
  });

  describe("bad input exits 2 and changes nothing", () => {
    it("without arguments", () => {
      const result = run([]);
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(/^pnpm policy:check: no plan files given\nusage: pnpm policy:check/);
    });

    it("with an unknown option", () => {
      expect(run(["--fix", PROD_PERSISTENT]).code).toBe(2);
    });

    it("with a missing path", () => {
      const missing = path.join(tmp, "nope.json");
      expect(run([missing])).toEqual({
        code: 2,
        stdout: "",
        stderr: `pnpm policy:check: ${missing}: no such file or directory\n`,
      });
    });

    it("with a directory holding no layer plans", () => {
      expect(run([tmp]).stderr).toBe(
        `pnpm policy:check: ${tmp}: no layer plan files (persistent.json, foundation.json, compute.json, edge.json) under it\n`,
      );
    });

    it("with a file that is not JSON", () => {
      const file = path.join(tmp, "edge.json");
      fs.writeFileSync(file, "{ nope");
      const result = run([file]);
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(new RegExp(`^pnpm policy:check: ${file}: not valid JSON \\(`));
    });

    it("with JSON that is not a layer plan, naming the bad fields", () => {
      const file = editedCopy((plan) => {
        (plan as unknown as Record<string, unknown>).stack = "qa";
      });
      expect(run([file])).toMatchObject({
        code: 2,
        stderr: expect.stringContaining(`${file}: not a layer plan (stack: `),
      });
    });

    it("with a resource from another stack", () => {
      const file = editedCopy((plan) => {
        const jobs = plan.resources.find((r) => r.urn === JOBS_URN);
        if (jobs) jobs.urn = JOBS_URN.replace(":prod::", ":dev::");
      });
      expect(run([file]).stderr).toBe(
        `pnpm policy:check: ${file}: resource ${JOBS_URN.replace(":prod::", ":dev::")} belongs to stack "dev", not "prod"\n`,
      );
    });
  });
});
