/** Jest global setup: make sure the Python virtualenv with the emulator exists before workers start. */
import { ensurePythonEnv } from "./python-env";

export default function globalSetup(): void {
  // Tests never talk to real AWS: blank any credentials or profile inherited from the shell.
  for (const key of ["AWS_PROFILE", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN"]) {
    delete process.env[key];
  }
  ensurePythonEnv((line) => process.stderr.write(`[testing] ${line}\n`));
}
