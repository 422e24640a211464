/**
 * Jest setup (setupFilesAfterEnv): every test file of a Lambda or service records the AWS calls its code
 * makes, as the principal that code runs as in AWS, into `reports/iam-calls/<test file>.jsonl` (replaced
 * on each run of that file). `pnpm iam:check` replays them against the plan. Tests of shared code record
 * nothing.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { appendRecord, PRINCIPAL_ENV, RECORD_FILE_ENV } from "./index";
import { principalForTestFile } from "./principals";

const REPO_ROOT = path.resolve(__dirname, "..", "..", "..");
/** Where the recordings of a test run go (gitignored with the rest of reports/). */
export const RECORDINGS_DIR = path.join(REPO_ROOT, "reports", "iam-calls");

const testPath = expect.getState().testPath;
const relative = testPath ? path.relative(REPO_ROOT, testPath) : "";
const principal = principalForTestFile(relative);
if (principal) {
  fs.mkdirSync(RECORDINGS_DIR, { recursive: true });
  const file = path.join(RECORDINGS_DIR, `${relative.replace(/[\\/]/g, "__")}.jsonl`);
  fs.writeFileSync(file, "");
  process.env[RECORD_FILE_ENV] = file;
  process.env[PRINCIPAL_ENV] = principal;
  appendRecord(file, { kind: "suite", principal, testFile: relative });
}
