/**
 * A real MLflow tracking server for tests: `mlflow server` from the project virtualenv with a sqlite
 * backend store and a local artifact root in a fresh temporary directory, on 127.0.0.1 and a free port.
 * The model Lambdas are tested against its REST API, not a hand-written fake.
 *
 * Starting it takes several seconds (the CLI and its uvicorn worker each import MLflow: about 8 s on an idle
 * 2-CPU machine, 15-30 s under load), so a test file starts ONE server with {@link useMlflow} and keeps its
 * tests apart by model name ({@link uniqueModelName}) instead of restarting it; a jest global setup can go
 * further and share one server across all files ({@link startSharedMlflow}).
 */

import { randomUUID } from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { withLock } from "./file-lock";
import { type LocalServer, startLocalServer, stopGroup } from "./process";
import { ensurePythonEnv, INSTALL_HOOK_TIMEOUT_MS, lockHash, run, VENV_DIR, venvBin } from "./python-env";

export interface MlflowServer extends LocalServer {
  /** Directory holding `mlflow.db` and `artifacts/`; removed by `stop()`. */
  readonly dataDir: string;
}

/**
 * Makes MLflow's store template (see {@link seedMlflowStore}): a new sqlite store, created and migrated by
 * MLflow itself, with the default experiment removed again (it names the artifact root it was made with).
 */
const MAKE_STORE_TEMPLATE = [
  "import sqlite3, sys",
  "from mlflow.store.tracking.sqlalchemy_store import SqlAlchemyStore",
  "SqlAlchemyStore('sqlite:///' + sys.argv[1], 's3://tradai-template/unused')",
  "db = sqlite3.connect(sys.argv[1])",
  "db.execute('DELETE FROM experiments')",
  "db.commit()",
  "db.close()",
].join("\n");

/** The store template of the installed MLflow: in the virtualenv, named by its lock (a reinstall makes a new one). */
export function mlflowStoreTemplate(): string {
  return path.join(VENV_DIR, `tradai-mlflow-store-${lockHash("servers").slice(0, 16)}.db`);
}

/**
 * Puts a new, empty MLflow store at `dbFile` (sqlite) whose tables are already at the installed MLflow's
 * schema: `mlflow server` on a new sqlite file first creates every table and runs MLflow's migrations in its
 * CLI process, about 0.7 CPU-s and 0.8 s of each start. The template is made once per installed MLflow, by
 * MLflow ({@link mlflowStoreTemplate}), and copied; its default experiment is removed, so the server creates
 * that with its own artifact root, as on any new store. An existing `dbFile` is left as it is.
 */
export async function seedMlflowStore(dbFile: string): Promise<void> {
  if (fs.existsSync(dbFile)) return;
  await ensurePythonEnv();
  const template = mlflowStoreTemplate();
  if (!fs.existsSync(template)) {
    await withLock(`${template}.lock`, async () => {
      if (fs.existsSync(template)) return;
      // Made aside and renamed: a reader never copies a half-made store.
      const partial = `${template}.${process.pid}.tmp`;
      const made = await run(venvBin("python"), ["-c", MAKE_STORE_TEMPLATE, partial]);
      if (made.status !== 0) {
        fs.rmSync(partial, { force: true });
        throw new Error(`making MLflow's store template ${template} failed:\n${made.output}`);
      }
      fs.renameSync(partial, template);
    });
  }
  fs.mkdirSync(path.dirname(dbFile), { recursive: true });
  fs.copyFileSync(template, dbFile);
}

/** Starts a fresh MLflow tracking server (detached, its output in `detachedLog`, when given). */
export async function startMlflow(options: { detachedLog?: string } = {}): Promise<MlflowServer> {
  await ensurePythonEnv();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "tradai-mlflow-"));
  const artifacts = path.join(dataDir, "artifacts");
  fs.mkdirSync(artifacts);
  await seedMlflowStore(path.join(dataDir, "mlflow.db"));
  let server: LocalServer;
  try {
    server = await startLocalServer({
      name: "mlflow server",
      command: venvBin("mlflow"),
      args: (port) => [
        "server",
        "--backend-store-uri",
        `sqlite:///${path.join(dataDir, "mlflow.db")}`,
        "--default-artifact-root",
        artifacts,
        "--host",
        "127.0.0.1",
        "--port",
        String(port),
        "--workers",
        "1",
      ],
      env: {
        // Keep the server from reading a developer's own MLflow settings.
        MLFLOW_TRACKING_URI: undefined,
        MLFLOW_REGISTRY_URI: undefined,
        // No background job runner (a third Python process the registry API does not need).
        MLFLOW_SERVER_ENABLE_JOB_EXECUTION: "false",
      },
      cwd: dataDir,
      readyPath: "/health",
      timeoutMs: 120_000,
      detachedLog: options.detachedLog,
    });
  } catch (error) {
    fs.rmSync(dataDir, { recursive: true, force: true });
    throw error;
  }
  return {
    ...server,
    dataDir,
    async stop() {
      await server.stop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * Set by {@link startSharedMlflow} (a jest global setup) and inherited by the workers: every test file
 * then reuses that one server instead of starting its own.
 */
export const SHARED_MLFLOW_ENV = "TRADAI_TEST_MLFLOW_URL";

/**
 * Set by the jest global setup: a directory for state shared by the run's workers (the run's MLflow
 * server), removed by the global teardown.
 */
export const TEST_RUN_DIR_ENV = "TRADAI_TEST_RUN_DIR";

interface SharedState {
  url: string;
  pid: number;
  dataDir: string;
}

const stateFile = (runDir: string) => path.join(runDir, "mlflow.json");

/**
 * The run's one MLflow server, started by the first test file that asks (under a lock, so workers asking
 * together start one), detached so it outlives that file's worker; {@link stopRunMlflow} ends it.
 */
async function runMlflow(runDir: string): Promise<MlflowServer> {
  return withLock(path.join(runDir, "mlflow.lock"), async () => {
    if (fs.existsSync(stateFile(runDir))) {
      const state = JSON.parse(fs.readFileSync(stateFile(runDir), "utf8")) as SharedState;
      return externalServer(state.url);
    }
    const server = await startMlflow({ detachedLog: path.join(runDir, "mlflow.log") });
    const state: SharedState = { url: server.url, pid: server.pid ?? 0, dataDir: server.dataDir };
    fs.writeFileSync(stateFile(runDir), JSON.stringify(state));
    return externalServer(server.url);
  });
}

/** For the jest global teardown: ends the run's MLflow server, if one was started, and removes its data. */
export async function stopRunMlflow(runDir: string): Promise<void> {
  if (!fs.existsSync(stateFile(runDir))) return;
  const state = JSON.parse(fs.readFileSync(stateFile(runDir), "utf8")) as SharedState;
  if (state.pid) await stopGroup(state.pid);
  fs.rmSync(state.dataDir, { recursive: true, force: true });
}

/**
 * Jest helper: provides an MLflow server to the file's tests and sets `MLFLOW_TRACKING_URI` to it,
 * restoring the variable afterwards. It uses the server named by {@link SHARED_MLFLOW_ENV} when set, else
 * the run's shared server when the run has a state directory ({@link TEST_RUN_DIR_ENV}: the first file to
 * ask starts it, about 10 s once instead of per file), else a server of the file's own. Returns a getter
 * (the server exists only after `beforeAll`). Tests sharing a server keep apart by {@link uniqueModelName}.
 */
export function useMlflow(): () => MlflowServer {
  let server: MlflowServer | undefined;
  let saved: string | undefined;
  beforeAll(async () => {
    const shared = process.env[SHARED_MLFLOW_ENV];
    const runDir = process.env[TEST_RUN_DIR_ENV];
    server = shared ? externalServer(shared) : runDir ? await runMlflow(runDir) : await startMlflow();
    saved = process.env.MLFLOW_TRACKING_URI;
    process.env.MLFLOW_TRACKING_URI = server.url;
  }, INSTALL_HOOK_TIMEOUT_MS);
  afterAll(async () => {
    if (saved === undefined) delete process.env.MLFLOW_TRACKING_URI;
    else process.env.MLFLOW_TRACKING_URI = saved;
    await server?.stop();
  });
  return () => {
    if (!server) throw new Error("useMlflow(): the server is only available inside tests (after beforeAll)");
    return server;
  };
}

/** A server owned by someone else (the global setup): `stop()` leaves it running. */
function externalServer(url: string): MlflowServer {
  return { url, port: Number(new URL(url).port), dataDir: "", stop: async () => {} };
}

/**
 * For a jest global setup: starts one server for the whole run and exports its URL to the workers through
 * {@link SHARED_MLFLOW_ENV}. Call the returned function from the global teardown.
 */
export async function startSharedMlflow(): Promise<() => Promise<void>> {
  const server = await startMlflow();
  process.env[SHARED_MLFLOW_ENV] = server.url;
  return async () => {
    delete process.env[SHARED_MLFLOW_ENV];
    await server.stop();
  };
}

let counter = 0;
/**
 * A model name no other test uses, so tests can share one server: also across test files run one after
 * the other in the same worker (jest reloads this module per file, resetting the counter).
 */
const fileTag = randomUUID().slice(0, 8);
export function uniqueModelName(prefix = "model"): string {
  counter += 1;
  return `${prefix}-${fileTag}-${counter}`;
}

/** What {@link seedModelVersion} registers. */
export interface SeedVersion {
  modelName: string;
  /** Metrics logged on the version's training run. */
  metrics?: Record<string, number>;
  /** Aliases pointing at the new version (`champion`, `candidate`). */
  aliases?: string[];
  tags?: Record<string, string>;
}

/** A registered model version and the run it came from. */
export interface SeededVersion {
  version: string;
  runId: string;
}

/**
 * Test fixture: creates (if needed) the registered model, a training run with `metrics`, and a model
 * version from that run, then sets `aliases` on it. Uses the REST API directly so that the client under
 * test is not also the one preparing its data.
 */
export async function seedModelVersion(baseUrl: string, seed: SeedVersion): Promise<SeededVersion> {
  const api = async (method: "GET" | "POST", route: string, body?: unknown): Promise<unknown> => {
    const response = await fetch(`${baseUrl}/api/2.0/mlflow/${route}`, {
      method,
      headers: { "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`MLflow ${method} ${route} -> ${response.status}: ${text}`);
    return JSON.parse(text);
  };
  const experimentName = `seed-${seed.modelName}`;
  let experimentId: string;
  try {
    const created = (await api("POST", "experiments/create", { name: experimentName })) as {
      experiment_id: string;
    };
    experimentId = created.experiment_id;
  } catch {
    const found = (await api(
      "GET",
      `experiments/get-by-name?experiment_name=${encodeURIComponent(experimentName)}`,
    )) as { experiment: { experiment_id: string } };
    experimentId = found.experiment.experiment_id;
  }
  const run = (await api("POST", "runs/create", {
    experiment_id: experimentId,
    start_time: Date.now(),
  })) as { run: { info: { run_id: string } } };
  const runId = run.run.info.run_id;
  const metrics = Object.entries(seed.metrics ?? {}).map(([key, value]) => ({
    key,
    value,
    timestamp: Date.now(),
    step: 0,
  }));
  if (metrics.length > 0) await api("POST", "runs/log-batch", { run_id: runId, metrics });
  await api("POST", "runs/update", { run_id: runId, status: "FINISHED", end_time: Date.now() });

  try {
    await api("POST", "registered-models/create", { name: seed.modelName });
  } catch (error) {
    if (!String(error).includes("RESOURCE_ALREADY_EXISTS")) throw error;
  }
  const created = (await api("POST", "model-versions/create", {
    name: seed.modelName,
    source: `runs:/${runId}/model`,
    run_id: runId,
    tags: Object.entries(seed.tags ?? {}).map(([key, value]) => ({ key, value })),
  })) as { model_version: { version: string } };
  const version = created.model_version.version;
  for (const alias of seed.aliases ?? []) {
    await api("POST", "registered-models/alias", { name: seed.modelName, alias, version });
  }
  return { version, runId };
}
