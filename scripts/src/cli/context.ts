/**
 * Everything a command touches outside its own logic, injected so that tests can record it: output
 * streams, environment, the Pulumi stacks, prompts, child processes and the CodeArtifact API.
 */
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { type CodeArtifactApi, sdkCodeArtifact } from "./aws/codeartifact";
import { automationRunnerFactory } from "./infra/automation-runner";
import type { StackRunnerFactory } from "./infra/stack-runner";
import { type Io, processIo } from "./io";
import { REPO_ROOT } from "./platform";
import { listrProgress, type Progress, plainProgress } from "./progress";

/** Asks the operator for a line of text; `undefined` when they cancelled (Ctrl-C). */
export type Prompt = (message: string) => Promise<string | undefined>;

export interface ExecOptions {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** Written to the child's stdin (e.g. a password for `--password-stdin`); stdin is inherited otherwise. */
  input?: string;
}

/** Runs a program with the CLI's stdout/stderr and resolves with its exit code. */
export type Exec = (command: string, args: string[], options?: ExecOptions) => Promise<number>;

export interface CliContext {
  io: Io;
  env: NodeJS.ProcessEnv;
  /** Repository root (where `stacks/`, `lambdas/`, `services/` live). */
  root: string;
  /** True only when a person can answer a prompt: stdin is a TTY and `CI` is not `true`. */
  interactive: boolean;
  progress: Progress;
  prompt: Prompt;
  exec: Exec;
  stacks: StackRunnerFactory;
  codeArtifact: () => CodeArtifactApi;
  now: () => Date;
}

/** Whether a person is at the keyboard. CI=true wins over a TTY (CI runners can allocate one). */
export function isInteractive(env: NodeJS.ProcessEnv, stdinIsTty: boolean | undefined): boolean {
  return stdinIsTty === true && env.CI !== "true";
}

/** Spawns with inherited output; a missing program is reported as exit code 127 with a message. */
export const spawnExec: Exec = (command, args, options = {}) =>
  new Promise((resolve) => {
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: options.env ?? process.env,
      stdio: [options.input === undefined ? "inherit" : "pipe", "inherit", "inherit"],
    });
    if (options.input !== undefined) child.stdin?.end(options.input);
    child.on("error", (error) => {
      process.stderr.write(`cannot run ${command}: ${error.message}\n`);
      resolve(127);
    });
    child.on("close", (code) => resolve(code ?? 1));
  });

/** @clack/prompts text input (loaded on first use: it is ESM and only interactive commands need it). */
const clackPrompt: Prompt = async (message) => {
  const clack = await import("@clack/prompts");
  const answer = await clack.text({ message });
  return clack.isCancel(answer) ? undefined : answer;
};

/**
 * Loads `<root>/.env` into the environment when present (the spec's `infra/.env`: AWS_PROFILE,
 * PULUMI_CONFIG_PASSPHRASE, S3_PULUMI_BACKEND_URL). Variables already set win.
 */
export function loadDotEnv(root: string): void {
  const file = path.join(root, ".env");
  if (fs.existsSync(file)) process.loadEnvFile(file);
}

/** The context of a real run. */
export function defaultContext(): CliContext {
  const env = process.env;
  const interactive = isInteractive(env, process.stdin.isTTY);
  return {
    io: processIo,
    env,
    root: REPO_ROOT,
    interactive,
    progress: process.stderr.isTTY && env.CI !== "true" ? listrProgress() : plainProgress(processIo),
    prompt: clackPrompt,
    exec: spawnExec,
    stacks: automationRunnerFactory(env),
    codeArtifact: () => sdkCodeArtifact(),
    now: () => new Date(),
  };
}
