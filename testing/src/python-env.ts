/**
 * The project's Python virtualenv (`.venv` at the repository root): the local AWS emulator and MLflow
 * (`testing/requirements.lock`) and the linters the tests run (`testing/tools.lock`). Each set is installed
 * on first use by the tests that need it, not before the run: a policy test never waits for MLflow.
 *
 * Installs are exact: `pip install --require-hashes --no-deps --only-binary :all:` from a lock with every
 * package pinned and hashed (testing/scripts/lock.sh writes it), so nothing is resolved or built at install
 * time. Jest workers, and checkouts sharing one `.venv` through a symlink, may ask at the same moment: a
 * lock on a file beside the virtualenv (`.venv.flock`, {@link withLock}) makes one of them install while the
 * others wait.
 */
import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { DEFAULT_LOCK_WAIT_MS, systemPython, withLock } from "./file-lock";

export const REPO_ROOT = path.resolve(__dirname, "..", "..");
export const VENV_DIR = path.join(REPO_ROOT, ".venv");

/** The package sets the tests install into the virtualenv. */
export const PYTHON_SETS = {
  /** moto server and the MLflow tracking server. */
  servers: { lock: path.join(REPO_ROOT, "testing", "requirements.lock"), stamp: ".requirements.sha256" },
  /** shellcheck, zizmor and the Go toolchain that builds actionlint. */
  tools: { lock: path.join(REPO_ROOT, "testing", "tools.lock"), stamp: ".tools.sha256" },
} as const;
export type PythonSet = keyof typeof PYTHON_SETS;

/** Oldest Python the locks resolve for (pandas 3 and numpy 2.4 need 3.11). */
const MIN_PYTHON: readonly [number, number] = [3, 11];
/**
 * Timeout for a jest hook that may install the virtualenv first (the first run on a fresh checkout, on a
 * busy machine, or waiting for another worker's install): the install's own wait plus the server start.
 */
export const INSTALL_HOOK_TIMEOUT_MS = DEFAULT_LOCK_WAIT_MS + 5 * 60_000;

/** Path of an executable inside the virtualenv. */
export function venvBin(name: string): string {
  return path.join(VENV_DIR, "bin", name);
}

/** The sha256 of a set's lock file: what the virtualenv holds once that set is installed. */
export function lockHash(set: PythonSet): string {
  return createHash("sha256").update(fs.readFileSync(PYTHON_SETS[set].lock)).digest("hex");
}

function stampPath(set: PythonSet): string {
  return path.join(VENV_DIR, PYTHON_SETS[set].stamp);
}

/** True when the virtualenv holds exactly the given set's lock file (as last installed). */
export function pythonEnvIsCurrent(set: PythonSet = "servers"): boolean {
  const stamp = stampPath(set);
  return fs.existsSync(stamp) && fs.readFileSync(stamp, "utf8").trim() === lockHash(set);
}

/**
 * The lock file's path: beside the virtualenv's real directory, so that checkouts whose `.venv` is a
 * symlink to one shared virtualenv take the same lock.
 */
export function venvLockPath(): string {
  let target = VENV_DIR;
  try {
    target = fs.realpathSync(VENV_DIR);
  } catch {
    // not created yet
  }
  return `${target}.flock`;
}

/** Runs `fn` while holding the virtualenv's lock ({@link venvLockPath}). */
export function withVenvLock<T>(fn: () => Promise<T>): Promise<T> {
  return withLock(venvLockPath(), fn);
}

interface Run {
  status: number | null;
  output: string;
}

/** Runs a command, keeping its output (printed only when the caller reports a failure). */
export function run(command: string, args: string[], env: NodeJS.ProcessEnv = process.env): Promise<Run> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { env, stdio: ["ignore", "pipe", "pipe"] });
    const chunks: Buffer[] = [];
    child.stdout.on("data", (c: Buffer) => chunks.push(c));
    child.stderr.on("data", (c: Buffer) => chunks.push(c));
    child.on("error", (error) => resolve({ status: null, output: String(error) }));
    child.on("close", (status) => resolve({ status, output: Buffer.concat(chunks).toString() }));
  });
}

function tail(text: string, lines = 40): string {
  return text.trimEnd().split("\n").slice(-lines).join("\n");
}

async function createVenv(log: (line: string) => void): Promise<void> {
  if (fs.existsSync(venvBin("python")) && (await run(venvBin("python"), ["-c", "pass"])).status === 0) return;
  const python = systemPython();
  const probe = await run(python, ["-c", "import sys; print('%d.%d' % sys.version_info[:2])"]);
  const version = probe.output.trim();
  const [major = 0, minor = 0] = version.split(".").map(Number);
  if (probe.status !== 0 || major < MIN_PYTHON[0] || (major === MIN_PYTHON[0] && minor < MIN_PYTHON[1])) {
    throw new Error(
      `The tests need Python >= ${MIN_PYTHON.join(".")} with venv (found ${probe.status === 0 ? version : `no "${python}"`}). ` +
        "Install it (e.g. apt-get install python3 python3-venv, or pyenv) or point PYTHON at one.",
    );
  }
  // A virtualenv left broken (its Python removed) is replaced; a symlinked shared one is only unlinked.
  fs.rmSync(VENV_DIR, { recursive: true, force: true });
  log(`creating ${VENV_DIR}`);
  const created = await run(python, ["-m", "venv", VENV_DIR]);
  if (created.status !== 0) {
    throw new Error(
      `"${python} -m venv ${VENV_DIR}" failed (is python3-venv installed?):\n${tail(created.output)}`,
    );
  }
}

/**
 * Makes sure the virtualenv exists and holds the given set exactly as locked. Idempotent and safe to call
 * from concurrent processes; the first call on a fresh machine downloads the wheels from PyPI.
 */
export async function ensurePythonEnv(
  set: PythonSet = "servers",
  log: (line: string) => void = quietLog,
): Promise<void> {
  if (pythonEnvIsCurrent(set)) return;
  await withVenvLock(async () => {
    if (pythonEnvIsCurrent(set)) return; // installed by whoever held the lock before us
    await createVenv(log);
    const lock = PYTHON_SETS[set].lock;
    log(`installing ${path.relative(REPO_ROOT, lock)} into ${VENV_DIR}`);
    const installed = await run(venvBin("python"), [
      "-m",
      "pip",
      "install",
      "--quiet",
      "--disable-pip-version-check",
      "--no-input",
      "--require-hashes",
      "--no-deps",
      "--only-binary",
      ":all:",
      "-r",
      lock,
    ]);
    if (installed.status !== 0) {
      throw new Error(
        `Installing ${path.relative(REPO_ROOT, lock)} into .venv failed (the tests need PyPI once; ` +
          `retry, or run: .venv/bin/pip install --require-hashes --no-deps -r ${path.relative(REPO_ROOT, lock)}):\n` +
          tail(installed.output),
      );
    }
    fs.writeFileSync(stampPath(set), `${lockHash(set)}\n`);
  });
}

/** One line on stderr per install step, so a first run says why it is slow. */
function quietLog(line: string): void {
  process.stderr.write(`[testing] ${line}\n`);
}
