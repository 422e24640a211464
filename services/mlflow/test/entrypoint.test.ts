import { execFileSync, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as http from "node:http";
import * as os from "node:os";
import * as path from "node:path";
import {
  descendantsOf,
  ensurePythonEnv,
  INSTALL_HOOK_TIMEOUT_MS,
  type LocalServer,
  seedMlflowStore,
  startLocalServer,
  VENV_DIR,
  venvBin,
} from "@tradai/testing";

const ENTRYPOINT = path.join(__dirname, "..", "entrypoint.py");
const python = venvBin("python");
const baseEnv = { PATH: `${path.join(VENV_DIR, "bin")}:${process.env.PATH ?? ""}`, HOME: os.tmpdir() };

// The entrypoint runs on the virtualenv's Python (MLflow installed), created on first use.
beforeAll(() => ensurePythonEnv(), INSTALL_HOOK_TIMEOUT_MS);

function uriFor(env: Record<string, string>): string {
  return execFileSync(
    python,
    [
      "-c",
      "import json,sys,entrypoint; print(entrypoint.backend_store_uri(json.loads(sys.argv[1])))",
      JSON.stringify(env),
    ],
    { cwd: path.dirname(ENTRYPOINT), encoding: "utf8", env: { ...baseEnv, PYTHONDONTWRITEBYTECODE: "1" } },
  ).trim();
}

function printed(env: Record<string, string>) {
  return spawnSync(python, [ENTRYPOINT, "--print"], { env: { ...baseEnv, ...env }, encoding: "utf8" });
}

describe("mlflow entrypoint: command construction", () => {
  const rds = {
    DB_HOST: "tradai-dev-mlflow.abc.eu-central-1.rds.amazonaws.com",
    DB_USERNAME: "mlflow_admin",
    DB_PASSWORD: "p@ss:w/rd%?",
  };

  it("builds the PostgreSQL URI from the RDS endpoint and the managed secret, escaping credentials", () => {
    expect(uriFor(rds)).toBe(
      "postgresql+psycopg2://mlflow_admin:p%40ss%3Aw%2Frd%25%3F@tradai-dev-mlflow.abc.eu-central-1.rds.amazonaws.com:5432/mlflow?sslmode=require",
    );
    expect(
      uriFor({ ...rds, DB_HOST: "db.internal:6543", DB_NAME: "tracking", DB_SSLMODE: "verify-full" }),
    ).toBe(
      "postgresql+psycopg2://mlflow_admin:p%40ss%3Aw%2Frd%25%3F@db.internal:6543/tracking?sslmode=verify-full",
    );
  });

  it("prints the full server command with the password masked", () => {
    const result = printed({
      ...rds,
      ARTIFACTS_BUCKET: "tradai-dev-artifacts",
      MLFLOW_ALLOWED_HOSTS: "mlflow.tradai-dev.local:5000",
    });
    expect(result.status).toBe(0);
    const command = JSON.parse(result.stdout) as string[];
    expect(command.slice(0, 2)).toEqual(["mlflow", "server"]);
    const arg = (flag: string) => command[command.indexOf(flag) + 1];
    expect(arg("--backend-store-uri")).toBe(
      "postgresql+psycopg2://mlflow_admin:****@tradai-dev-mlflow.abc.eu-central-1.rds.amazonaws.com:5432/mlflow?sslmode=require",
    );
    expect(arg("--default-artifact-root")).toBe("s3://tradai-dev-artifacts/mlflow");
    expect(arg("--host")).toBe("0.0.0.0");
    expect(arg("--port")).toBe("5000");
    expect(arg("--allowed-hosts")?.split(",")).toEqual(
      expect.arrayContaining(["10.*", "mlflow.tradai-dev.local:5000"]),
    );
    expect(result.stdout).not.toContain("p%40ss");
  });

  it("refuses to start naming every missing variable", () => {
    const result = printed({});
    expect(result.status).toBe(2);
    for (const name of ["DB_HOST", "DB_USERNAME", "DB_PASSWORD", "ARTIFACTS_BUCKET"])
      expect(result.stderr).toContain(name);
    expect(printed({ ...rds, ARTIFACTS_BUCKET: "s3://bucket/path" }).status).toBe(2);
  });
});

function getWithHost(url: string, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const request = http.get(url, { headers: { host }, agent: false }, (response) => {
      response.resume();
      resolve(response.statusCode ?? 0);
    });
    request.on("error", reject);
  });
}

describe("mlflow entrypoint: the real server from .venv", () => {
  let server: LocalServer;
  let dir: string;

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "mlflow-entrypoint-"));
    // As `tradai local up` starts it: on a store that already has MLflow's schema.
    await seedMlflowStore(path.join(dir, "mlflow.db"));
    server = await startLocalServer({
      name: "mlflow (entrypoint)",
      command: "/usr/bin/env",
      args: (port) => [`MLFLOW_PORT=${port}`, python, ENTRYPOINT],
      env: {
        ...baseEnv,
        MLFLOW_BACKEND_STORE_URI: `sqlite:///${path.join(dir, "mlflow.db")}`,
        ARTIFACTS_BUCKET: "tradai-test-artifacts",
        MLFLOW_HOST: "127.0.0.1",
        MLFLOW_WORKERS: "1",
        MLFLOW_ALLOWED_HOSTS: "mlflow.tradai-test.local:5000",
      },
      readyPath: "/health",
      timeoutMs: 90_000,
    });
  }, 120_000);
  afterAll(async () => {
    await server?.stop();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it("answers /health", async () => {
    const response = await fetch(`${server.url}/health`);
    expect(response.status).toBe(200);
    expect(await response.text()).toBe("OK");
  });

  it("puts new experiments' artifacts under s3://<ARTIFACTS_BUCKET>/mlflow", async () => {
    const created = await fetch(`${server.url}/api/2.0/mlflow/experiments/create`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ name: "entrypoint-test" }),
    });
    expect(created.status).toBe(200);
    const { experiment_id } = (await created.json()) as { experiment_id: string };
    const got = await fetch(`${server.url}/api/2.0/mlflow/experiments/get?experiment_id=${experiment_id}`);
    const { experiment } = (await got.json()) as { experiment: { artifact_location: string } };
    expect(experiment.artifact_location).toBe(`s3://tradai-test-artifacts/mlflow/${experiment_id}`);
  });

  it("accepts the configured service host name and rejects unknown Host headers", async () => {
    // /health is exempt from the Host check (load balancers probe by IP); the API is not.
    const api = `${server.url}/api/2.0/mlflow/experiments/get?experiment_id=0`;
    expect(await getWithHost(api, "mlflow.tradai-test.local:5000")).toBe(200);
    expect(await getWithHost(api, "10.0.3.17:5000")).toBe(200);
    expect(await getWithHost(api, "attacker.example")).toBe(403);
  });

  it("starts no MLflow job runner (each would import MLflow again, past the task's memory)", () => {
    const processes = descendantsOf(server.pid ?? 0);
    expect(processes.length).toBeGreaterThan(0); // the uvicorn worker at least: the scan sees the tree
    expect(processes.filter((cmd) => cmd.includes("huey"))).toEqual([]);
  });
});
