/**
 * Jest global setup. Deliberately light: the Python virtualenv (emulator, MLflow, linters) is installed
 * lazily by the tests that need it (`ensurePythonEnv`), so a run of pure tests never waits for it.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { TEST_RUN_DIR_ENV } from "./mlflow";

export default function globalSetup(): void {
  // Tests never talk to real AWS: blank any credentials or profile inherited from the shell.
  for (const key of ["AWS_PROFILE", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN"]) {
    delete process.env[key];
  }
  // State the workers share during this run (the run's MLflow server, layer plans); the global teardown
  // removes it. Workers inherit this process's environment.
  const runDir = fs.mkdtempSync(path.join(os.tmpdir(), "tradai-jest-run-"));
  process.env[TEST_RUN_DIR_ENV] = runDir;
  // Layer plans with the stacks' own config, made once per run and read by every test file that needs
  // them (packages/plan/src/plan-cache.ts, PLAN_CACHE_ENV): the checkout does not change during a run.
  process.env.TRADAI_PLAN_CACHE_DIR = path.join(runDir, "plans");
}
