/**
 * End-to-end harness: the dev plan generated from this checkout (`pnpm plan --env dev`), a platform
 * started from it per test file, and plan copies with one wire cut for the seeded-mutation tests.
 */
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { INSTALL_HOOK_TIMEOUT_MS, TEST_RUN_DIR_ENV, workerMoto } from "@tradai/testing";
import { generatePlan, PLAN_TIMEOUT_MS } from "../src/commands";
import { type EnvironmentPlan, LOCAL_LAYERS, readEnvironmentPlan } from "../src/plan-source";
import { type Platform, type PlatformOptions, startPlatform } from "../src/platform";

export const REPO_ROOT = path.resolve(__dirname, "..", "..");
export const ENV = "dev";

/** Everything the plan is computed from: stacks, components, packages, the Lambda and service sources. */
const PLAN_INPUTS = ["components", "stacks", "packages", "lambdas", "services", "policies"];

/** A fingerprint of the plan's inputs (path, size, mtime of every source file). */
function planInputsKey(): string {
  const hash = createHash("sha256");
  const walk = (dir: string) => {
    for (const entry of fs
      .readdirSync(dir, { withFileTypes: true })
      .sort((a, b) => a.name.localeCompare(b.name))) {
      if (entry.name === "node_modules" || entry.name === "dist" || entry.name.startsWith(".")) continue;
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.isFile()) {
        const stat = fs.statSync(full);
        hash.update(`${path.relative(REPO_ROOT, full)}:${stat.size}:${stat.mtimeMs}\n`);
      }
    }
  };
  for (const dir of PLAN_INPUTS) walk(path.join(REPO_ROOT, dir));
  for (const file of fs.readdirSync(REPO_ROOT).filter((f) => f.startsWith("Pulumi"))) {
    hash.update(fs.readFileSync(path.join(REPO_ROOT, file)));
  }
  return hash.digest("hex").slice(0, 16);
}

let generated: string | undefined;
/**
 * The dev plan of this checkout, generated once per set of inputs and shared by the test files of a run
 * (planning every layer takes 15-90 s on a busy machine). A lock directory keeps parallel workers from
 * generating it twice. Waits asynchronously, so jest's hook timeouts still apply while it waits.
 */
export async function devPlanDir(): Promise<string> {
  if (generated) return generated;
  const dir = path.join(os.tmpdir(), `tradai-local-plan-${planInputsKey()}`);
  const lock = `${dir}.lock`;
  const ready = () => fs.existsSync(path.join(dir, ENV, "edge.json"));
  const deadline = Date.now() + PLAN_TIMEOUT_MS + 60_000;
  while (!ready()) {
    try {
      fs.mkdirSync(lock);
    } catch {
      if (Date.now() > deadline)
        throw new Error(`${lock} is held: another run is planning (remove it if stale)`);
      await new Promise((r) => setTimeout(r, 1000));
      continue;
    }
    try {
      if (!ready()) {
        const staging = fs.mkdtempSync(`${dir}-staging-`);
        await generatePlan(REPO_ROOT, ENV, staging);
        fs.renameSync(staging, dir);
      }
    } finally {
      fs.rmSync(lock, { recursive: true, force: true });
    }
  }
  generated = dir;
  return dir;
}

/** A copy of the dev plan with `mutate` applied to its parsed layers. */
export async function mutatedPlan(mutate: (plan: EnvironmentPlan) => void): Promise<string> {
  const plan = readEnvironmentPlan(await devPlanDir(), ENV);
  mutate(plan);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tradai-local-mutant-"));
  fs.mkdirSync(path.join(dir, ENV));
  for (const layer of LOCAL_LAYERS) {
    fs.writeFileSync(path.join(dir, ENV, `${layer}.json`), JSON.stringify(plan[layer]));
  }
  return dir;
}

/** The planned resource named `name` of `type` (throws when the plan has none: the test is then wrong). */
export function plannedResource(plan: EnvironmentPlan, type: string, name: string) {
  for (const layer of LOCAL_LAYERS) {
    const found = plan[layer].resources.find((r) => r.type === type && r.name === name);
    if (found) return found;
  }
  throw new Error(`the plan has no ${type} named ${name}`);
}

/**
 * Starts a platform for the file's tests and stops it after them. Returns a getter. In a jest run the
 * platform provisions into the worker's emulator, emptied first (the next file that uses it empties it
 * again), instead of starting one of its own: a moto start is about a second of CPU. The `down` test of
 * lifecycle.test.ts still has `tradai local up` start the platform's own.
 */
export function usePlatform(
  options: Omit<PlatformOptions, "repoRoot" | "planDir"> & { planDir?: () => Promise<string> },
): () => Platform {
  let platform: Platform | undefined;
  beforeAll(async () => {
    const stateDir = fs.mkdtempSync(path.join(os.tmpdir(), "tradai-local-state-"));
    const runDir = process.env[TEST_RUN_DIR_ENV];
    const emulator = runDir ? await workerMoto(runDir) : undefined;
    platform = await startPlatform({
      ...(emulator ? { emulatorUrl: emulator.url } : {}),
      ...options,
      repoRoot: REPO_ROOT,
      planDir: await (options.planDir ? options.planDir() : devPlanDir()),
      stateDir,
      renderer: "silent",
      schedules: false,
    });
    // A fresh checkout installs the emulator and MLflow into .venv first (or waits for another worker's install).
  }, INSTALL_HOOK_TIMEOUT_MS);
  afterAll(async () => {
    await platform?.stop();
  }, 120_000);
  return () => {
    if (!platform) throw new Error("the platform only exists inside tests (after beforeAll)");
    return platform;
  };
}

/** A probe's verdict that waiting longer cannot change: {@link eventually} rethrows it at once. */
export class FlowError extends Error {
  override name = "FlowError";
}

/** Polls `probe` until it returns a value or `timeoutMs` passes (then throws `what`). */
export async function eventually<T>(
  what: string,
  probe: () => Promise<T | undefined>,
  timeoutMs = 60_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (error) {
      if (error instanceof FlowError) throw error;
      last = error;
    }
    if (Date.now() > deadline) {
      throw new Error(
        `timed out waiting for ${what}${last ? ` (last error: ${(last as Error).message})` : ""}`,
      );
    }
    await new Promise((r) => setTimeout(r, 500));
  }
}
