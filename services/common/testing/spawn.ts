/**
 * Test support: runs a service's real `src/main.ts` as a child process (Node with the tsx loader, no
 * bundling), so tests cover the entry point's wiring and its handling of real signals.
 */
import { type ChildProcess, spawn } from "node:child_process";
import * as path from "node:path";
import { pathToFileURL } from "node:url";
import { recorderEnv } from "@tradai/iam-recorder/testing";
import { freePort, REPO_ROOT } from "@tradai/testing";

const TSX_LOADER = pathToFileURL(path.join(REPO_ROOT, "node_modules", "tsx", "dist", "loader.mjs")).href;

export interface SpawnedService {
  url: string;
  child: ChildProcess;
  /** stdout + stderr lines so far. */
  lines(): string[];
  /** Resolves with the exit code. */
  exited: Promise<number | null>;
}

/** Starts `entry` with `env` (plus PORT/HOST) and resolves once `/health` answers, or rejects with the output. */
export async function spawnService(
  entry: string,
  env: Record<string, string>,
  timeoutMs = 30_000,
): Promise<SpawnedService> {
  const port = await freePort();
  const process_ = startEntry(entry, { ...env, PORT: String(port), HOST: "127.0.0.1" });
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + timeoutMs;
  let exitCode: number | null | undefined;
  void process_.exited.then((code) => {
    exitCode = code;
  });
  for (;;) {
    if (exitCode !== undefined)
      throw new Error(`${entry} exited with ${exitCode}:\n${process_.lines().join("\n")}`);
    try {
      if ((await fetch(`${url}/health`, { signal: AbortSignal.timeout(1000) })).ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      process_.child.kill("SIGKILL");
      throw new Error(`${entry} did not become healthy:\n${process_.lines().join("\n")}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return { ...process_, url };
}

/** Starts `entry` and returns at once (for entry points that exit by themselves). */
export function startEntry(entry: string, env: Record<string, string>): Omit<SpawnedService, "url"> {
  const child = spawn(process.execPath, ["--import", TSX_LOADER, entry], {
    // The child keeps recording its AWS calls (pnpm iam:check) as this test's principal unless `env` names another.
    env: { PATH: process.env.PATH ?? "", ...recorderEnv(), ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const lines: string[] = [];
  const collect = (chunk: Buffer) =>
    lines.push(
      ...chunk
        .toString()
        .split("\n")
        .filter((l) => l.length > 0),
    );
  child.stdout?.on("data", collect);
  child.stderr?.on("data", collect);
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  return { child, lines: () => lines, exited };
}

/** Parses the JSON log lines (pino) of a process, skipping anything else. */
export function jsonLines(lines: readonly string[]): Array<Record<string, unknown>> {
  return lines.flatMap((line) => {
    try {
      return [JSON.parse(line) as Record<string, unknown>];
    } catch {
      return [];
    }
  });
}
