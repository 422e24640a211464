/** Jest global teardown: ends what the run shared between workers (its MLflow server) and its state. */
import * as fs from "node:fs";
import { stopRunMlflow, TEST_RUN_DIR_ENV } from "./mlflow";

export default async function globalTeardown(): Promise<void> {
  const runDir = process.env[TEST_RUN_DIR_ENV];
  if (!runDir) return;
  await stopRunMlflow(runDir);
  fs.rmSync(runDir, { recursive: true, force: true });
}
