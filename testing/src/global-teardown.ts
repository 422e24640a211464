/** Jest global teardown: ends what the run shared between workers (MLflow, the workers' emulators) and its state. */
import * as fs from "node:fs";
import { stopRunMlflow, TEST_RUN_DIR_ENV } from "./mlflow";
import { stopWorkerMotos } from "./moto";

export default async function globalTeardown(): Promise<void> {
  const runDir = process.env[TEST_RUN_DIR_ENV];
  if (!runDir) return;
  await Promise.all([stopRunMlflow(runDir), stopWorkerMotos(runDir)]);
  fs.rmSync(runDir, { recursive: true, force: true });
}
