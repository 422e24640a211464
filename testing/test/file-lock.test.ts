import { type ChildProcess, spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { HOLD_LOCK_SCRIPT, systemPython, withLock } from "../src/file-lock";

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "tradai-lock-"));
});
afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Another process holding the lock the way withLock does: a Node process whose child holds the flock
 * until the Node process's pipe closes. Resolves once the lock is held.
 */
async function holderProcess(lockPath: string): Promise<ChildProcess> {
  const script = `
    const { spawn } = require("node:child_process");
    const h = spawn(${JSON.stringify(systemPython())}, [${JSON.stringify(HOLD_LOCK_SCRIPT)}, ${JSON.stringify(lockPath)}], { stdio: ["pipe", "pipe", "inherit"] });
    h.stdout.once("data", () => process.stdout.write("held\\n"));
    setInterval(() => {}, 1000);
  `;
  const node = spawn(process.execPath, ["-e", script], { stdio: ["ignore", "pipe", "inherit"] });
  await new Promise<void>((resolve) => node.stdout?.once("data", () => resolve()));
  return node;
}

describe("withLock", () => {
  it("runs callers one at a time and returns each caller's result", async () => {
    const lockPath = path.join(dir, "x.lock");
    const events: string[] = [];
    const section = (name: string) => async () => {
      events.push(`${name} in`);
      await sleep(150);
      events.push(`${name} out`);
      return name;
    };
    const results = await Promise.all([withLock(lockPath, section("a")), withLock(lockPath, section("b"))]);
    expect(results).toEqual(["a", "b"]);
    // No section starts before the other ends, in whichever order the kernel granted them.
    expect([
      ["a in", "a out", "b in", "b out"],
      ["b in", "b out", "a in", "a out"],
    ]).toContainEqual(events);
  });

  it("releases the lock when the section throws, and passes the error on", async () => {
    const lockPath = path.join(dir, "x.lock");
    await expect(
      withLock(lockPath, async () => {
        throw new Error("install failed");
      }),
    ).rejects.toThrow("install failed");
    await expect(withLock(lockPath, async () => "next", { waitMs: 2000 })).resolves.toBe("next");
  });

  it("is never taken from a live holder, however old the lock file looks", async () => {
    // The failure this lock replaces: a heartbeat lock (mtime refreshed by its holder) counted a holder whose
    // refresh was late as dead and let a second install start beside the first.
    const lockPath = path.join(dir, "x.lock");
    const holder = await holderProcess(lockPath);
    try {
      fs.utimesSync(lockPath, new Date(0), new Date(0));
      holder.kill("SIGSTOP"); // a paused holder does nothing at all
      await expect(withLock(lockPath, async () => "taken", { waitMs: 2000 })).rejects.toThrow(
        `Waited 2 s for the lock ${lockPath}, held by process ${holder.pid}.`,
      );
    } finally {
      holder.kill("SIGCONT");
      holder.kill("SIGKILL");
    }
  });

  it("is free as soon as its holder dies, without waiting for it to age", async () => {
    const lockPath = path.join(dir, "x.lock");
    const holder = await holderProcess(lockPath);
    const died = new Promise((resolve) => holder.once("exit", resolve));
    holder.kill("SIGKILL");
    await died;
    // A bound for a loaded machine, below the 30 s after which a heartbeat lock would have counted it dead.
    await expect(withLock(lockPath, async () => "taken", { waitMs: 20_000 })).resolves.toBe("taken");
  });

  it("says which Python it could not run", async () => {
    const saved = process.env.PYTHON;
    process.env.PYTHON = path.join(dir, "no-such-python");
    try {
      await expect(withLock(path.join(dir, "x.lock"), async () => "never")).rejects.toThrow(
        `Could not take the lock ${path.join(dir, "x.lock")}: "${path.join(dir, "no-such-python")}" did not start`,
      );
    } finally {
      if (saved === undefined) delete process.env.PYTHON;
      else process.env.PYTHON = saved;
    }
  });
});
