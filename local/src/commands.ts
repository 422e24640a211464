/**
 * What `tradai local up|down|status|run|token` do. `up` stays in the foreground until Ctrl-C (SIGINT) or
 * `tradai local down` (SIGTERM to the process named in the state file), then stops every component and
 * removes the state file. The other commands find the running platform through that file.
 */
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { type PlatformState, startPlatform } from "./platform";

export interface Io {
  out(text: string): void;
  err(text: string): void;
}

export class LocalCommandError extends Error {
  constructor(
    message: string,
    readonly hint?: string,
  ) {
    super(message);
    this.name = "LocalCommandError";
  }
}

export interface UpOptions {
  repoRoot: string;
  env: string;
  planDir?: string;
  /** Re-generate the plan even when `<planDir>/<env>` exists. */
  replan?: boolean;
  retryAfterSeconds?: number;
  schedules: boolean;
  services?: string[];
  stateDir?: string;
  /** A running moto server to provision into (see `PlatformOptions.emulatorUrl`). */
  emulatorUrl?: string;
}

const stateDirOf = (repoRoot: string, stateDir?: string) => stateDir ?? path.join(repoRoot, ".local");

/** How long planning every layer may take before it counts as hung (15-90 s is usual on 2 cores). */
export const PLAN_TIMEOUT_MS = 10 * 60_000;

/**
 * Writes the plan the platform is wired from (`pnpm plan --env <env> --out <dir>`, @tradai/plan's CLI).
 * Asynchronous and bounded: it resolves when the planner exits (not when its output pipes close, which a
 * stray grandchild could hold open) and kills the planner after `timeoutMs`.
 */
export async function generatePlan(
  repoRoot: string,
  env: string,
  outDir: string,
  timeoutMs = PLAN_TIMEOUT_MS,
): Promise<void> {
  const planCli = path.join(path.dirname(require.resolve("@tradai/plan")), "plan-cli.ts");
  const child = spawn(
    process.execPath,
    [require.resolve("tsx/cli"), planCli, "--env", env, "--out", outDir],
    {
      cwd: repoRoot,
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  let output = "";
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-64_000);
  };
  child.stdout.on("data", keep);
  child.stderr.on("data", keep);
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    child.kill("SIGKILL");
  }, timeoutMs);
  await new Promise<void>((resolve) => {
    child.once("exit", () => resolve());
    child.once("error", (error) => {
      output += `\n${error.message}`;
      resolve();
    });
  });
  clearTimeout(timer);
  if (timedOut) {
    throw new LocalCommandError(
      `pnpm plan --env ${env} did not finish within ${timeoutMs / 1000} s:\n${output}`,
    );
  }
  // Exit 1 with files written means mandatory policy findings; the files are still the plan.
  if (!fs.existsSync(path.join(outDir, env, "compute.json"))) {
    throw new LocalCommandError(`pnpm plan --env ${env} failed:\n${output}`);
  }
}

export function readState(repoRoot: string, stateDir?: string): PlatformState | undefined {
  const file = path.join(stateDirOf(repoRoot, stateDir), "state.json");
  if (!fs.existsSync(file)) return undefined;
  return JSON.parse(fs.readFileSync(file, "utf8")) as PlatformState;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function requireRunning(repoRoot: string, stateDir?: string): PlatformState {
  const state = readState(repoRoot, stateDir);
  if (!state || !alive(state.pid)) {
    throw new LocalCommandError("the local platform is not running", "start it with `pnpm tradai local up`");
  }
  return state;
}

async function control<T>(
  state: PlatformState,
  method: "GET" | "POST",
  route: string,
  body?: unknown,
): Promise<T> {
  const response = await fetch(`${state.controlUrl}/local/${route}`, {
    method,
    headers: { "content-type": "application/json" },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const json = (await response.json()) as T & { message?: string };
  if (!response.ok) throw new LocalCommandError(json.message ?? `control plane answered ${response.status}`);
  return json;
}

function table(rows: string[][]): string {
  const widths: number[] = [];
  for (const row of rows)
    for (const [i, cell] of row.entries()) widths[i] = Math.max(widths[i] ?? 0, cell.length);
  return rows
    .map((row) =>
      row
        .map((cell, i) => cell.padEnd(widths[i] ?? 0))
        .join("  ")
        .trimEnd(),
    )
    .join("\n");
}

/** `tradai local up`: starts everything, prints where it is, and runs until interrupted. */
export async function up(options: UpOptions, io: Io): Promise<number> {
  const stateDir = stateDirOf(options.repoRoot, options.stateDir);
  const existing = readState(options.repoRoot, options.stateDir);
  if (existing && alive(existing.pid)) {
    throw new LocalCommandError(
      `the local platform is already running (pid ${existing.pid})`,
      "stop it with `pnpm tradai local down`",
    );
  }
  const planDir = options.planDir ?? path.join(options.repoRoot, "plan");
  if (options.replan || !fs.existsSync(path.join(planDir, options.env, "compute.json"))) {
    io.err(`generating the ${options.env} plan into ${planDir} (pnpm plan --env ${options.env})...`);
    await generatePlan(options.repoRoot, options.env, planDir);
  }
  // Signals that arrive while starting still stop everything that has started.
  let interrupted: NodeJS.Signals | undefined;
  let wake: () => void = () => {};
  const onSignal = (signal: NodeJS.Signals) => {
    interrupted = signal;
    wake();
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  try {
    const platform = await startPlatform({
      repoRoot: options.repoRoot,
      planDir,
      env: options.env,
      stateDir,
      schedules: options.schedules,
      renderer: process.stderr.isTTY ? "default" : "simple",
      ...(options.retryAfterSeconds === undefined ? {} : { retryAfterSeconds: options.retryAfterSeconds }),
      ...(options.services ? { services: options.services } : {}),
      ...(options.emulatorUrl ? { emulatorUrl: options.emulatorUrl } : {}),
    });
    io.out(`\nTradAI ${options.env} is running locally (ready in ${platform.readySeconds.toFixed(1)} s).`);
    io.out(`  API:        ${platform.urls.api}/v1/...   (token: pnpm tradai local token)`);
    io.out(`  AWS:        ${platform.urls.emulator}   (AWS_ENDPOINT_URL for the aws CLI/SDK)`);
    io.out(`  Logs:       ${platform.logDir}/<component>.log`);
    io.out("  Stop:       Ctrl-C or pnpm tradai local down\n");
    if (!interrupted)
      await new Promise<void>((resolve) => {
        wake = resolve;
      });
    io.err(`\n${interrupted ?? "signal"}: stopping the local platform...`);
    await platform.stop();
    io.err("stopped.");
    return 0;
  } finally {
    process.removeListener("SIGINT", onSignal);
    process.removeListener("SIGTERM", onSignal);
  }
}

/** `tradai local down`: asks the running `up` to stop and waits until it has. */
export async function down(repoRoot: string, io: Io, stateDir?: string): Promise<number> {
  const state = readState(repoRoot, stateDir);
  if (!state || !alive(state.pid)) {
    io.out("the local platform is not running");
    return 0;
  }
  process.kill(state.pid, "SIGTERM");
  const deadline = Date.now() + 60_000;
  while (alive(state.pid)) {
    if (Date.now() > deadline) throw new LocalCommandError(`process ${state.pid} did not stop within 60 s`);
    await new Promise((r) => setTimeout(r, 200));
  }
  io.out(`stopped (pid ${state.pid})`);
  return 0;
}

/** `tradai local status`: one row per component. */
export async function status(repoRoot: string, io: Io, json: boolean, stateDir?: string): Promise<number> {
  const state = requireRunning(repoRoot, stateDir);
  const rows = await control<{ component: string; status: string; address: string; detail: string }[]>(
    state,
    "GET",
    "status",
  );
  if (json) io.out(JSON.stringify(rows, null, 2));
  else
    io.out(
      table([
        ["COMPONENT", "STATUS", "ADDRESS", "DETAIL"],
        ...rows.map((r) => [r.component, r.status, r.address, r.detail]),
      ]),
    );
  return rows.some((r) => r.status === "stopped" && !r.detail.startsWith("0/0")) ? 1 : 0;
}

/** `tradai local run <function>`: invokes a function now (scheduled ones with their Scheduled Event). */
export async function run(
  repoRoot: string,
  fn: string,
  event: unknown,
  io: Io,
  stateDir?: string,
): Promise<number> {
  const state = requireRunning(repoRoot, stateDir);
  const answer = await control<{ ok: boolean; result?: unknown; errorType?: string; errorMessage?: string }>(
    state,
    "POST",
    `invoke/${fn}`,
    event === undefined ? {} : { event },
  );
  if (!answer.ok) {
    io.err(`${fn} failed: ${answer.errorType}: ${answer.errorMessage}`);
    return 1;
  }
  io.out(JSON.stringify(answer.result ?? null, null, 2));
  return 0;
}

/** `tradai local token`: a token the local API accepts (by default the kind and scopes the plan's authorizer wants). */
export async function token(
  repoRoot: string,
  request: { kind?: "id" | "access"; scopes?: string[]; expiresIn?: number },
  io: Io,
  stateDir?: string,
): Promise<number> {
  const state = requireRunning(repoRoot, stateDir);
  const answer = await control<{ token: string }>(state, "POST", "token", request);
  io.out(answer.token);
  return 0;
}
