import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { DatabaseSync } from "node:sqlite";
import {
  mlflowStoreTemplate,
  SHARED_MLFLOW_ENV,
  seedMlflowStore,
  seedModelVersion,
  startMlflow,
  stopRunMlflow,
  TEST_RUN_DIR_ENV,
  useMlflow,
} from "../src/mlflow";
import { groupAlive } from "../src/process";
import { INSTALL_HOOK_TIMEOUT_MS } from "../src/python-env";

describe("startMlflow", () => {
  it(
    "serves the MLflow REST API on a loopback port with a sqlite store, and cleans up on stop",
    async () => {
      const started = Date.now();
      const server = await startMlflow();
      process.stderr.write(`[mlflow.test] server ready in ${Date.now() - started} ms\n`);
      try {
        expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
        expect(fs.existsSync(`${server.dataDir}/mlflow.db`)).toBe(true);

        const seeded = await seedModelVersion(server.url, {
          modelName: "fixture-model",
          metrics: { accuracy: 0.9 },
          aliases: ["champion"],
        });
        expect(seeded.version).toBe("1");

        const response = await fetch(
          `${server.url}/api/2.0/mlflow/registered-models/alias?name=fixture-model&alias=champion`,
        );
        expect(response.status).toBe(200);
        const body = (await response.json()) as { model_version: { version: string; run_id: string } };
        expect(body.model_version).toMatchObject({ version: "1", run_id: seeded.runId });

        const second = await seedModelVersion(server.url, { modelName: "fixture-model" });
        expect(second.version).toBe("2");

        // Started on a seeded store, the server made the default experiment itself, with its own artifact root.
        const experiment = await fetch(`${server.url}/api/2.0/mlflow/experiments/get?experiment_id=0`);
        expect(
          ((await experiment.json()) as { experiment: { artifact_location: string } }).experiment,
        ).toMatchObject({
          name: "Default",
          artifact_location: path.join(server.dataDir, "artifacts", "0"),
        });
      } finally {
        await server.stop();
      }
      expect(fs.existsSync(server.dataDir)).toBe(false);
      await expect(fetch(`${server.url}/health`)).rejects.toThrow();
    },
    INSTALL_HOOK_TIMEOUT_MS,
  ); // the first test of a fresh checkout may install .venv
});

describe("seedMlflowStore", () => {
  const query = (file: string, sql: string) => {
    const db = new DatabaseSync(file, { readOnly: true });
    try {
      return db.prepare(sql).all();
    } finally {
      db.close();
    }
  };

  it(
    "puts a store at MLflow's schema with no experiment, made once by MLflow, and leaves an existing store alone",
    async () => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tradai-seed-"));
      try {
        const file = path.join(dir, "nested", "mlflow.db");
        await seedMlflowStore(file);
        expect(query(file, "SELECT version_num FROM alembic_version")).toEqual(
          query(mlflowStoreTemplate(), "SELECT version_num FROM alembic_version"),
        );
        expect(query(file, "SELECT version_num FROM alembic_version")).toHaveLength(1);
        expect(query(file, "SELECT experiment_id FROM experiments")).toEqual([]);
        const tables = query(file, "SELECT name FROM sqlite_master WHERE type = 'table'").map((t) => t.name);
        expect(tables).toEqual(
          expect.arrayContaining(["experiments", "runs", "registered_models", "model_versions"]),
        );

        fs.writeFileSync(file, "a store in use");
        await seedMlflowStore(file);
        expect(fs.readFileSync(file, "utf8")).toBe("a store in use");
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    },
    INSTALL_HOOK_TIMEOUT_MS,
  );
});

describe("useMlflow inside a run with a shared server", () => {
  // What startSharedMlflow() in a jest global setup leaves for the workers. Nothing listens there: the
  // point is that useMlflow neither starts nor stops a server of its own.
  const sharedUrl = "http://127.0.0.1:5999";
  let saved: string | undefined;
  beforeAll(() => {
    saved = process.env[SHARED_MLFLOW_ENV];
    process.env[SHARED_MLFLOW_ENV] = sharedUrl;
  });
  afterAll(() => {
    if (saved === undefined) delete process.env[SHARED_MLFLOW_ENV];
    else process.env[SHARED_MLFLOW_ENV] = saved;
  });

  describe("a test file in that run", () => {
    const mlflow = useMlflow();

    it("reuses the shared server's URL instead of starting one, and points MLFLOW_TRACKING_URI at it", () => {
      expect(mlflow().url).toBe(sharedUrl);
      expect(mlflow().port).toBe(5999);
      expect(mlflow().dataDir).toBe("");
      expect(process.env.MLFLOW_TRACKING_URI).toBe(sharedUrl);
    });
  });
});

describe("useMlflow in a jest run (the global setup gives the run a state directory)", () => {
  const mlflow = useMlflow();

  it("serves the run's one shared server, recorded in the run directory for the other workers", async () => {
    const runDir = process.env[TEST_RUN_DIR_ENV] ?? "";
    expect(runDir).not.toBe("");
    const state = JSON.parse(fs.readFileSync(path.join(runDir, "mlflow.json"), "utf8")) as { url: string };
    expect(state.url).toBe(mlflow().url);
    expect((await fetch(`${mlflow().url}/health`)).status).toBe(200);
  });
});

describe("stopRunMlflow (the global teardown)", () => {
  it("ends the shared server's whole process group and removes its data", async () => {
    const runDir = fs.mkdtempSync(path.join(os.tmpdir(), "tradai-run-test-"));
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "tradai-run-data-"));
    // A detached group standing in for `mlflow server` and the worker it forks.
    const group = spawn("sh", ["-c", "sleep 60 & sleep 60"], { detached: true, stdio: "ignore" });
    group.unref();
    const exited = new Promise((resolve) => group.once("exit", resolve));
    fs.writeFileSync(path.join(runDir, "mlflow.json"), JSON.stringify({ url: "", pid: group.pid, dataDir }));
    try {
      expect(groupAlive(group.pid as number)).toBe(true);
      await stopRunMlflow(runDir);
      await exited;
      expect(fs.existsSync(dataDir)).toBe(false);
      // No live process of the group is left (stopRunMlflow resolves only then).
      expect(groupAlive(group.pid as number)).toBe(false);
    } finally {
      fs.rmSync(runDir, { recursive: true, force: true });
    }
  });
});
