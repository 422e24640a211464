/**
 * A lock between processes on one machine: the tests' install of the virtualenv, and the one MLflow server
 * a run shares, must each happen once while every jest worker (and every checkout sharing `.venv`) asks.
 *
 * It is the kernel's `flock(2)`, held by a small Python process (`hold-lock.py`, stdlib `fcntl`) for the
 * length of the critical section. The kernel releases it when that process exits, and that process exits
 * when its parent closes the pipe or dies. So a lock is never left behind by a crashed holder, and never
 * taken from a live one. Locks that judge a holder dead by the age of a heartbeat (proper-lockfile's mtime,
 * refreshed every few seconds) are taken over when the holder's refresh is late: a paused VM or a starved
 * event loop during a minutes-long install did exactly that on CI, and two installs ran at once.
 */
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";

/** The machine's Python (`PYTHON`, else `python3`): creates the virtualenv and holds the locks. */
export function systemPython(): string {
  return process.env.PYTHON ?? "python3";
}

/** The helper that holds a lock, for a process that is not this one (tests of a holder dying). */
export const HOLD_LOCK_SCRIPT = path.join(__dirname, "hold-lock.py");

export interface LockOptions {
  /**
   * How long to wait for another holder before giving up with an error naming it.
   * @default 15 minutes (a fresh install of the virtualenv takes minutes)
   */
  waitMs?: number;
}

/** How long a caller waits by default: a fresh install of the virtualenv, under the lock, takes minutes. */
export const DEFAULT_LOCK_WAIT_MS = 15 * 60_000;

/** What the last holder wrote into the lock file: its process id. */
function lastHolder(lockPath: string): string {
  try {
    const pid = fs.readFileSync(lockPath, "utf8").trim();
    return pid ? `process ${pid}` : "another process";
  } catch {
    return "another process";
  }
}

/**
 * Runs `fn` while holding the exclusive lock on the file `lockPath` (created if missing; its content is the
 * holder's pid). Callers in any process wait their turn, up to {@link LockOptions.waitMs}; the lock is
 * released when `fn` settles, and by the kernel if this process dies first.
 */
export async function withLock<T>(
  lockPath: string,
  fn: () => Promise<T>,
  options: LockOptions = {},
): Promise<T> {
  const waitMs = options.waitMs ?? DEFAULT_LOCK_WAIT_MS;
  fs.mkdirSync(path.dirname(lockPath), { recursive: true });
  const holder = spawn(systemPython(), [HOLD_LOCK_SCRIPT, lockPath], { stdio: ["pipe", "pipe", "pipe"] });
  const exited = new Promise<void>((resolve) => holder.once("close", () => resolve()));
  // A holder that already exited has released the lock; writing to its closed pipe is not an error here.
  holder.stdin.on("error", () => {});
  await new Promise<void>((resolve, reject) => {
    let stderr = "";
    const timer = setTimeout(() => {
      holder.kill("SIGKILL");
      reject(
        new Error(
          `Waited ${Math.round(waitMs / 1000)} s for the lock ${lockPath}, held by ${lastHolder(lockPath)}.`,
        ),
      );
    }, waitMs);
    holder.stderr.on("data", (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    holder.stdout.once("data", () => {
      clearTimeout(timer);
      resolve();
    });
    holder.once("error", (error) => {
      clearTimeout(timer);
      reject(
        new Error(
          `Could not take the lock ${lockPath}: "${systemPython()}" did not start (${error.message}).`,
        ),
      );
    });
    holder.once("exit", (code, signal) => {
      clearTimeout(timer);
      reject(
        new Error(
          `Could not take the lock ${lockPath} (${systemPython()} exited ${signal ?? code}):\n${stderr}`,
        ),
      );
    });
  });
  try {
    return await fn();
  } finally {
    holder.stdin.end();
    await exited;
  }
}
