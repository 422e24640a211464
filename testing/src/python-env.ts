/**
 * The project's Python virtualenv (`.venv` at the repository root) that holds the local AWS emulator and
 * MLflow. Created on first use from `testing/requirements.txt`; re-created when that file changes.
 */
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";

export const REPO_ROOT = path.resolve(__dirname, "..", "..");
export const VENV_DIR = path.join(REPO_ROOT, ".venv");
const REQUIREMENTS = path.join(REPO_ROOT, "testing", "requirements.txt");
const STAMP = path.join(VENV_DIR, ".requirements.sha256");

/** Path of an executable inside the virtualenv. */
export function venvBin(name: string): string {
  return path.join(VENV_DIR, "bin", name);
}

function requirementsHash(): string {
  return createHash("sha256").update(fs.readFileSync(REQUIREMENTS)).digest("hex");
}

/** True when the virtualenv exists and was built from the current requirements file. */
export function pythonEnvIsCurrent(): boolean {
  return fs.existsSync(STAMP) && fs.readFileSync(STAMP, "utf8").trim() === requirementsHash();
}

/**
 * Makes sure the virtualenv exists and matches `testing/requirements.txt`. Idempotent; the first call on a
 * fresh machine installs from PyPI (a few minutes for MLflow).
 */
export function ensurePythonEnv(log: (line: string) => void = () => {}): void {
  if (pythonEnvIsCurrent()) return;
  const python = process.env.PYTHON ?? "python3";
  if (!fs.existsSync(venvBin("python"))) {
    log(`creating ${VENV_DIR}`);
    execFileSync(python, ["-m", "venv", VENV_DIR], { stdio: "inherit" });
  }
  log(`installing ${path.relative(REPO_ROOT, REQUIREMENTS)} into ${VENV_DIR}`);
  execFileSync(venvBin("pip"), ["install", "--quiet", "--disable-pip-version-check", "-r", REQUIREMENTS], {
    stdio: "inherit",
  });
  fs.writeFileSync(STAMP, `${requirementsHash()}\n`);
}
