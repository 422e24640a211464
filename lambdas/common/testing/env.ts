/** Test environment variables, with the cached clients and configuration that depend on them. */
import { resetClients } from "../src/clients";
import { resetEnvCache } from "../src/env";

/**
 * Sets environment variables for a test and drops cached clients and configuration, so the next handler
 * call sees the emulator and the new values. Returns a function restoring the previous values.
 */
export function setTestEnv(values: Record<string, string | undefined>): () => void {
  const saved: Record<string, string | undefined> = {};
  for (const [key, value] of Object.entries(values)) {
    saved[key] = process.env[key];
    if (value === undefined) delete process.env[key];
    else process.env[key] = value;
  }
  resetClients();
  resetEnvCache();
  return () => {
    for (const [key, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
    resetClients();
    resetEnvCache();
  };
}
