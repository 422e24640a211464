/**
 * Jest global setup. Deliberately light: the Python virtualenv (emulator, MLflow, linters) is installed
 * lazily by the tests that need it (`ensurePythonEnv`), so a run of pure tests never waits for it.
 */
export default function globalSetup(): void {
  // Tests never talk to real AWS: blank any credentials or profile inherited from the shell.
  for (const key of ["AWS_PROFILE", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN"]) {
    delete process.env[key];
  }
}
