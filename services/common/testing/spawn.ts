/**
 * Test support: runs a service's entry point as a child process, as its image runs it: the esbuild bundle
 * of `src/main.ts` (the compute program's bundler, content-cached, so unchanged sources cost no build)
 * under `node --enable-source-maps`. Tests cover the entry point's wiring, what ships, and its handling of
 * real signals; a process starts in about half the CPU Node took with the tsx loader.
 */
import { type ChildProcess, spawn } from "node:child_process";
import * as path from "node:path";
import { ensureBundle, serviceBundleSpec } from "@tradai/components/lambda-bundle";
import { recorderEnv } from "@tradai/iam-recorder/testing";
import { freePort, REPO_ROOT } from "@tradai/testing";

/** `services/<name>/src/main.ts` -> its bundle, built (or taken from the cache) now. */
export function bundledEntry(entry: string): string {
  const match = /^services\/([^/]+)\/src\/main\.ts$/.exec(
    path.relative(REPO_ROOT, entry).split(path.sep).join("/"),
  );
  if (!match?.[1]) throw new Error(`${entry} is not a service entry point (services/<name>/src/main.ts)`);
  const spec = serviceBundleSpec(match[1]);
  ensureBundle(spec);
  return path.join(spec.outDir, spec.outFile);
}

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
  const child = spawn(process.execPath, ["--enable-source-maps", bundledEntry(entry)], {
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
