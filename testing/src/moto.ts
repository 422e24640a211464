/**
 * The local AWS emulator: moto's server from the project virtualenv (through `moto-server.py`, see
 * {@link motoServerCommand}), on 127.0.0.1 and a free port. Code under test reaches it through
 * `AWS_ENDPOINT_URL`, which every AWS SDK v3 client honours.
 *
 * Under jest (a run directory from the global setup) each worker keeps one emulator for the test files it
 * runs one after the other, and every file starts from an empty one: {@link useMoto} resets it before the
 * file's tests. Starting moto and importing its service backends costs about 2 CPU-seconds per file (EC2's
 * alone is most of it), a reset about 0.3; the 60-odd emulator-backed files of a run paid the former.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { TEST_RUN_DIR_ENV } from "./mlflow";
import { type LocalServer, processAlive, startLocalServer, stopGroup } from "./process";
import { ensurePythonEnv, INSTALL_HOOK_TIMEOUT_MS, venvBin } from "./python-env";

export const TEST_REGION = "eu-central-1";
/** moto's default account id. */
export const TEST_ACCOUNT_ID = "123456789012";

export interface Moto extends LocalServer {
  /** Forgets every resource the emulator holds. */
  reset(): Promise<void>;
}

function withReset(server: LocalServer): Moto {
  return {
    ...server,
    async reset() {
      const response = await fetch(`${server.url}/moto-api/reset`, {
        method: "POST",
        signal: AbortSignal.timeout(30_000),
      });
      if (!response.ok) throw new Error(`moto reset failed: ${response.status}`);
    },
  };
}

export interface MotoOptions {
  /**
   * Settings moto reads from its own environment, e.g. `{ MOTO_ECS_SERVICE_RUNNING: "1" }` (the running
   * count it reports for every ECS service). Those of the test's environment are not passed on.
   * @default {}
   */
  settings?: Record<`MOTO_${string}`, string>;
}

/** moto's server entry point with some of its per-request costs taken out and one route added (see the script). */
export const MOTO_SERVER_SCRIPT = path.join(__dirname, "moto-server.py");

/**
 * The launcher's route for what the emulator holds (DynamoDB items, S3 objects, SQS messages, ECS tasks,
 * Step Functions executions, CloudWatch metrics, EC2 routes, topics without an SQS probe), as JSON in one
 * request: `emulator_state` in {@link MOTO_SERVER_SCRIPT}.
 */
export const EMULATOR_STATE_PATH = "/moto-api/tradai/state";

/**
 * Settings every test emulator starts with unless a file asks otherwise: no test reads Amazon's AMI
 * catalogue (a RunInstances with any image id works without `MOTO_ENABLE_AMI_VALIDATION`), and loading it
 * was a tenth of the emulator's CPU, paid again whenever EC2 is first used after a reset.
 */
const DEFAULT_MOTO_SETTINGS: Record<`MOTO_${string}`, string> = {
  MOTO_EC2_LOAD_DEFAULT_AMIS: "false",
};

/**
 * How to run the emulator (the tests' and the local platform's): the virtualenv's Python, the launcher's
 * arguments for a port on 127.0.0.1, and the settings to add to its environment.
 */
export function motoServerCommand(): {
  command: string;
  args: (port: number) => string[];
  settings: Record<`MOTO_${string}`, string>;
} {
  return {
    command: venvBin("python"),
    args: (port) => [MOTO_SERVER_SCRIPT, "-H", "127.0.0.1", "-p", String(port)],
    settings: { ...DEFAULT_MOTO_SETTINGS },
  };
}

function startServer(settings: MotoOptions["settings"], detachedLog?: string): Promise<LocalServer> {
  const inherited = Object.keys(process.env).filter((key) => key.startsWith("MOTO_"));
  const server = motoServerCommand();
  return startLocalServer({
    name: "moto_server",
    command: server.command,
    args: server.args,
    readyPath: "/moto-api/",
    // Undefined drops the variable from the child's environment.
    env: {
      ...Object.fromEntries(inherited.map((key) => [key, undefined])),
      ...server.settings,
      ...settings,
    },
    detachedLog,
  });
}

/** Starts a fresh emulator of the caller's own; `stop()` ends it. */
export async function startMoto(options: MotoOptions = {}): Promise<Moto> {
  await ensurePythonEnv();
  return withReset(await startServer(options.settings));
}

interface WorkerEmulator {
  url: string;
  pid: number;
  /** The settings it was started with: a file asking for others gets a new one. */
  settings: string;
}

const settingsKey = (options: MotoOptions) =>
  JSON.stringify(Object.entries(options.settings ?? {}).sort(([a], [b]) => a.localeCompare(b)));

/** The state file of this worker's emulator (JEST_WORKER_ID is 1 in a run in band). */
export const workerStateFile = (runDir: string) =>
  path.join(runDir, `moto-worker-${process.env.JEST_WORKER_ID ?? "1"}.json`);

/**
 * This worker's emulator, emptied: the one an earlier file of the worker started when it still answers,
 * else a new one, detached so it outlives the file ({@link stopWorkerMotos} ends it with the run).
 * `stop()` leaves it running. Files of one worker run one after the other, so no lock is needed.
 */
export async function workerMoto(runDir: string, options: MotoOptions = {}): Promise<Moto> {
  const file = workerStateFile(runDir);
  const settings = settingsKey(options);
  if (fs.existsSync(file)) {
    const kept = JSON.parse(fs.readFileSync(file, "utf8")) as WorkerEmulator;
    const moto = withReset({ url: kept.url, port: Number(new URL(kept.url).port), stop: async () => {} });
    try {
      if (kept.settings !== settings) throw new Error("other settings");
      if (!processAlive(kept.pid)) throw new Error("gone");
      await moto.reset();
      return moto;
    } catch {
      // Other settings, killed by a test or unresponsive: replace it.
      await stopGroup(kept.pid).catch(() => {});
      fs.rmSync(file, { force: true });
    }
  }
  await ensurePythonEnv();
  const server = await startServer(options.settings, file.replace(/\.json$/, ".log"));
  const state: WorkerEmulator = { url: server.url, pid: server.pid ?? 0, settings };
  fs.writeFileSync(file, JSON.stringify(state));
  return withReset({ url: server.url, port: server.port, pid: server.pid, stop: async () => {} });
}

/** For the jest global teardown: ends every worker's emulator of the run. */
export async function stopWorkerMotos(runDir: string): Promise<void> {
  const files = fs.readdirSync(runDir).filter((f) => /^moto-worker-.+\.json$/.test(f));
  await Promise.all(
    files.map(async (f) => {
      const { pid } = JSON.parse(fs.readFileSync(path.join(runDir, f), "utf8")) as WorkerEmulator;
      if (pid) await stopGroup(pid);
    }),
  );
}

/** The environment an AWS SDK client needs to talk to the emulator and nothing else. */
export function awsEnvFor(moto: Pick<LocalServer, "url">): Record<string, string> {
  return {
    AWS_ENDPOINT_URL: moto.url,
    AWS_REGION: TEST_REGION,
    AWS_DEFAULT_REGION: TEST_REGION,
    AWS_ACCESS_KEY_ID: "testing",
    AWS_SECRET_ACCESS_KEY: "testing",
    AWS_SESSION_TOKEN: "testing",
  };
}

/**
 * Jest helper: an empty emulator for the file's tests (the worker's, see {@link workerMoto}; a server of
 * the file's own when jest runs without the run directory), `process.env` pointed at it, and the
 * environment restored afterwards. Returns a getter because the server exists only after `beforeAll`.
 *
 * @example
 * const moto = useMoto();
 * it("writes", async () => { await handler(event); expect(await scan(moto().url)).toHaveLength(1); });
 */
export function useMoto(options: MotoOptions = {}): () => Moto {
  let moto: Moto | undefined;
  const saved: Record<string, string | undefined> = {};
  beforeAll(async () => {
    const runDir = process.env[TEST_RUN_DIR_ENV];
    moto = runDir ? await workerMoto(runDir, options) : await startMoto(options);
    for (const [key, value] of Object.entries(awsEnvFor(moto))) {
      saved[key] = process.env[key];
      process.env[key] = value;
    }
  }, INSTALL_HOOK_TIMEOUT_MS);
  afterAll(async () => {
    for (const [key, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
    await moto?.stop();
  });
  return () => {
    if (!moto) throw new Error("useMoto(): the emulator is only available inside tests (after beforeAll)");
    return moto;
  };
}
