/** `tradai local ...`: the dev plan's platform on this machine (@tradai/local). */
import * as path from "node:path";
import type { Command } from "commander";
import { CliError, EXIT, UsageError } from "../errors";
import { REPO_ROOT } from "../platform";
import type { ContextSource } from "./shared";

async function local() {
  return import("@tradai/local");
}

/** Runs a local command, turning its errors into the CLI's (message + next step). */
async function guarded(fn: () => Promise<number>): Promise<void> {
  const { LocalCommandError } = await local();
  try {
    const code = await fn();
    if (code !== 0) process.exitCode = code;
  } catch (error) {
    if (error instanceof LocalCommandError) throw new CliError(error.message, error.hint, EXIT.failed);
    throw error;
  }
}

interface UpFlags {
  env: string;
  plan: string;
  replan?: boolean;
  retryAfter?: string;
  schedules: boolean;
  services?: string;
  emulator?: string;
}

export function registerLocal(program: Command, context: ContextSource): void {
  const cmd = program
    .command("local")
    .description("run the dev plan's platform on this machine: emulator, MLflow, services, Lambdas, API")
    .option("--state <dir>", "where logs and the state file of the running platform are", ".local");
  const stateDir = () => path.resolve(REPO_ROOT, String(cmd.opts().state ?? ".local"));

  cmd
    .command("up")
    .description("start everything in the foreground; Ctrl-C stops it")
    .option("--env <env>", "whose plan to wire", "dev")
    .option("--plan <dir>", "plan directory (generated when missing)", "plan")
    .option("--replan", "re-generate the plan first")
    .option(
      "--retry-after <seconds>",
      "failed queue records come back after this many seconds (default: the queue's visibility timeout)",
    )
    .option("--no-schedules", "run scheduled functions only on demand (tradai local run)")
    .option("--services <names>", "comma-separated services to start (default: those with a desired count)")
    .option(
      "--emulator <url>",
      "provision into the moto server already running at this URL (left running) instead of starting one",
    )
    .action(async (opts: UpFlags) => {
      const ctx = context();
      const retry = opts.retryAfter === undefined ? undefined : Number(opts.retryAfter);
      if (retry !== undefined && (!Number.isInteger(retry) || retry < 0)) {
        throw new UsageError(`--retry-after must be a whole number of seconds, got "${opts.retryAfter}"`);
      }
      const { up } = await local();
      await guarded(() =>
        up(
          {
            repoRoot: REPO_ROOT,
            env: opts.env,
            planDir: path.resolve(REPO_ROOT, opts.plan),
            ...(opts.replan ? { replan: true } : {}),
            ...(retry === undefined ? {} : { retryAfterSeconds: retry }),
            schedules: opts.schedules,
            ...(opts.services ? { services: opts.services.split(",").map((s) => s.trim()) } : {}),
            ...(opts.emulator ? { emulatorUrl: opts.emulator } : {}),
            stateDir: stateDir(),
          },
          ctx.io,
        ),
      );
    });

  cmd
    .command("down")
    .description("stop the running local platform and wait until every process is gone")
    .action(async () => {
      const { down } = await local();
      await guarded(() => down(REPO_ROOT, context().io, stateDir()));
    });

  cmd
    .command("status")
    .option("--json", "print the rows as JSON")
    .description("one row per component: state, address, detail (exit 1 when one is down)")
    .action(async (opts: { json?: boolean }) => {
      const { status } = await local();
      await guarded(() => status(REPO_ROOT, context().io, Boolean(opts.json), stateDir()));
    });

  cmd
    .command("run")
    .argument("<function>", "a planned Lambda (e.g. trading-heartbeat-check)")
    .option("--event <json>", "the event (default: the Scheduled Event of its rule)")
    .description("invoke a function of the running platform now")
    .action(async (fn: string, opts: { event?: string }) => {
      let event: unknown;
      if (opts.event !== undefined) {
        try {
          event = JSON.parse(opts.event);
        } catch {
          throw new UsageError("--event must be JSON");
        }
      }
      const { run } = await local();
      await guarded(() => run(REPO_ROOT, fn, event, context().io, stateDir()));
    });

  cmd
    .command("token")
    .option("--kind <kind>", "id or access (default: what the plan's authorizer accepts)")
    .option("--scope <scope...>", "access-token scopes (default: the method's)")
    .option("--expires-in <seconds>", "lifetime; negative for an expired token", "3600")
    .description("print a user-pool token the local API accepts")
    .action(async (opts: { kind?: string; scope?: string[]; expiresIn: string }) => {
      if (opts.kind !== undefined && opts.kind !== "id" && opts.kind !== "access") {
        throw new UsageError(`--kind must be id or access, got "${opts.kind}"`);
      }
      const expiresIn = Number(opts.expiresIn);
      if (!Number.isInteger(expiresIn))
        throw new UsageError("--expires-in must be a whole number of seconds");
      const { token } = await local();
      await guarded(() =>
        token(
          REPO_ROOT,
          {
            ...(opts.kind ? { kind: opts.kind as "id" | "access" } : {}),
            ...(opts.scope ? { scopes: opts.scope } : {}),
            expiresIn,
          },
          context().io,
          stateDir(),
        ),
      );
    });
}
