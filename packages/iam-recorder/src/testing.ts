/**
 * Test support for the recorder: which principal a test's calls belong to, and what a spawned entry point
 * must inherit to keep recording.
 */
import { appendRecord, NAMES_ENV, PRINCIPAL_ENV, RECORD_FILE_ENV } from "./index";

/**
 * Records the calls that follow as `principal`. `names` are the configuration values the code under test
 * was given as an object instead of through `process.env` (services' `loadConfig({...})`), so the check
 * can trace the test's resource names to the planned ones. Returns a function restoring the previous
 * principal and names. Does nothing but set variables when no recording file is named.
 */
export function recordAs(principal: string, names: Record<string, string | undefined> = {}): () => void {
  const previous = { principal: process.env[PRINCIPAL_ENV], names: process.env[NAMES_ENV] };
  // The same principal keeps the values registered before (a test may run two instances at once).
  const kept: Record<string, string[]> =
    previous.principal === principal && previous.names
      ? (JSON.parse(previous.names) as Record<string, string[]>)
      : {};
  for (const [name, value] of Object.entries(names)) {
    if (typeof value === "string" && !kept[name]?.includes(value))
      kept[name] = [...(kept[name] ?? []), value];
  }
  process.env[PRINCIPAL_ENV] = principal;
  process.env[NAMES_ENV] = JSON.stringify(kept);
  const file = process.env[RECORD_FILE_ENV];
  if (file) appendRecord(file, { kind: "suite", principal });
  return () => {
    for (const [key, value] of [
      [PRINCIPAL_ENV, previous.principal],
      [NAMES_ENV, previous.names],
    ] as const) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  };
}

/** The recorder variables to pass to a child process (a spawned service entry point), optionally as another principal. */
export function recorderEnv(principal?: string): Record<string, string> {
  const env: Record<string, string> = {};
  const file = process.env[RECORD_FILE_ENV];
  if (!file) return env;
  env[RECORD_FILE_ENV] = file;
  const who = principal ?? process.env[PRINCIPAL_ENV];
  if (who) {
    env[PRINCIPAL_ENV] = who;
    if (principal) appendRecord(file, { kind: "suite", principal });
  }
  return env;
}
