/**
 * `tradai local up` as a developer runs it (the CLI, in its own process): `status` lists the components,
 * `run` invokes a function, and both `tradai local down` and Ctrl-C (SIGINT) stop everything, leaving no
 * process and no listening port behind (but an emulator given with `--emulator`, which stays the caller's).
 */
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as net from "node:net";
import * as os from "node:os";
import * as path from "node:path";
import { processAlive, useMoto } from "@tradai/testing";
import { devPlanDir, eventually, REPO_ROOT } from "./harness";

jest.setTimeout(240_000);

const CLI = path.join(REPO_ROOT, "scripts", "src", "cli", "main.ts");
const tsx = require.resolve("tsx/cli");

function cli(stateDir: string, ...args: string[]) {
  return spawnSync(process.execPath, [tsx, CLI, "local", "--state", stateDir, ...args], {
    cwd: REPO_ROOT,
    encoding: "utf8",
    env: { ...process.env, FORCE_COLOR: "0" },
    // Synchronous, so jest's own timeout cannot interrupt it: bounded here instead.
    timeout: 120_000,
    killSignal: "SIGKILL",
  });
}

interface Row {
  component: string;
  status: string;
  address: string;
  detail: string;
}

async function startUp(
  stateDir: string,
  ...extra: string[]
): Promise<{ child: ChildProcess; exited: Promise<number | null>; rows: Row[] }> {
  const planDir = await devPlanDir();
  const child = spawn(
    process.execPath,
    [
      tsx,
      CLI,
      "local",
      "--state",
      stateDir,
      "up",
      "--plan",
      planDir,
      "--services",
      "backend-api,dry-run-trading",
      "--no-schedules",
      ...extra,
    ],
    { cwd: REPO_ROOT, stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, FORCE_COLOR: "0" } },
  );
  let output = "";
  child.stdout?.on("data", (c: Buffer) => {
    output += c.toString();
  });
  child.stderr?.on("data", (c: Buffer) => {
    output += c.toString();
  });
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  await eventually(
    "tradai local up to be ready",
    async () => {
      if (child.exitCode !== null) throw new Error(`up exited early:\n${output}`);
      return output.includes("is running locally") ? true : undefined;
    },
    180_000,
  );
  const status = cli(stateDir, "status", "--json");
  expect(status.status).toBe(0);
  return { child, exited, rows: JSON.parse(status.stdout) as Row[] };
}

/**
 * Every pid and loopback port of the running components. A service that was not started still shows the
 * port set aside for it, but nothing of the platform ever listened there: after `down` any other process
 * may have it (a full test run once failed on such a port), so it is not part of the footprint.
 */
function footprint(rows: Row[]): { pids: number[]; ports: number[] } {
  const running = rows.filter((r) => r.status === "running");
  const pids = running.flatMap((r) => [...r.detail.matchAll(/pid (\d+)/g)].map((m) => Number(m[1])));
  const ports = running.flatMap((r) => (r.address ? [Number(new URL(r.address).port)] : []));
  return { pids, ports };
}

// Zombies do not count: a child that exited after `up` did waits for PID 1, which in a container may
// never reap it.
const alive = processAlive;

const listening = (port: number) =>
  new Promise<boolean>((resolve) => {
    const socket = net.connect(port, "127.0.0.1");
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });

describe("tradai local: up, status, run, down / Ctrl-C", () => {
  it("status lists every component; run invokes a function; down leaves no process or port", async () => {
    const stateDir = fs.mkdtempSync(path.join(os.tmpdir(), "tradai-local-cli-"));
    const { exited, rows } = await startUp(stateDir);
    const components = rows.map((r) => r.component);
    expect(components).toEqual(
      expect.arrayContaining([
        "emulator",
        "api-gateway",
        "load-balancer",
        "backend-api",
        "lambda sqs-consumer",
      ]),
    );
    const { pids, ports } = footprint(rows);
    expect(pids.length).toBeGreaterThanOrEqual(3);
    expect(ports.length).toBeGreaterThanOrEqual(5);

    const run = cli(stateDir, "run", "trading-heartbeat-check");
    expect(run.status).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ checked: expect.any(Number) });

    const down = cli(stateDir, "down");
    expect(down.status).toBe(0);
    expect(await exited).toBe(0);
    expect(pids.filter(alive)).toEqual([]);
    expect((await Promise.all(ports.map(listening))).some(Boolean)).toBe(false);
    expect(fs.existsSync(path.join(stateDir, "state.json"))).toBe(false);
    expect(cli(stateDir, "status").status).toBe(1);
  });

  describe("on an emulator it did not start (--emulator)", () => {
    const moto = useMoto();

    it("Ctrl-C (SIGINT) stops everything as well, and leaves that emulator running", async () => {
      const stateDir = fs.mkdtempSync(path.join(os.tmpdir(), "tradai-local-cli-"));
      const { child, exited, rows } = await startUp(stateDir, "--emulator", moto().url);
      const { pids, ports } = footprint(rows);
      try {
        expect(rows.find((r) => r.component === "emulator")).toMatchObject({
          status: "running",
          address: moto().url,
          detail: "attached (not started here)",
        });
      } finally {
        // Stopped whatever the row says: a platform left running would use the next file's emulator.
        child.kill("SIGINT");
      }
      const emulatorPort = Number(new URL(moto().url).port);
      expect(await exited).toBe(0);
      expect(pids.filter(alive)).toEqual([]);
      const others = ports.filter((port) => port !== emulatorPort);
      expect(others.length).toBe(ports.length - 1);
      expect((await Promise.all(others.map(listening))).some(Boolean)).toBe(false);
      expect((await fetch(`${moto().url}/moto-api/data.json`)).status).toBe(200);
    });
  });
});
