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

/**
 * Jest: sets the environment `setup` returns before the file's (or describe block's) tests and restores it
 * after them. `setup` runs in `beforeAll`, after the hooks registered before it (e.g. `useMoto()`), so it
 * may create the emulator resources the variables name.
 */
export function useTestEnv(
  setup: () => Promise<Record<string, string | undefined>> | Record<string, string | undefined>,
): void {
  let restore: () => void = () => {};
  beforeAll(async () => {
    restore = setTestEnv(await setup());
  });
  afterAll(() => restore());
}
