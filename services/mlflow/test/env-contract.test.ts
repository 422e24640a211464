/**
 * The MLflow entrypoint is Python, so its environment schema lives in @tradai/contracts (`MlflowEnv`,
 * what compute's wiring is typed against) as a description: this test keeps that description and the
 * variables the entrypoint reads equal, both ways.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { MLFLOW_SECRET_VARIABLES, MlflowEnv, SERVICE_ENV } from "@tradai/contracts";

const ENTRYPOINT = fs.readFileSync(path.join(__dirname, "..", "entrypoint.py"), "utf8");

/** Every environment variable name the entrypoint reads (`_get(env, "X"...)`, `os.environ.get("X"...)`). */
function variablesRead(source: string): string[] {
  const reads = source.matchAll(/(?:_get\(env,\s*|os\.environ\.get\(|env\.get\()"([A-Z][A-Z0-9_]*)"/g);
  return [...new Set([...reads].map((m) => m[1] as string))].sort();
}

/** Differences between what `source` reads and what the contract names. */
function differences(source: string): string[] {
  const read = variablesRead(source);
  const named = Object.keys(MlflowEnv.shape).sort();
  return [
    ...read
      .filter((v) => !named.includes(v))
      .map((v) => `entrypoint.py reads ${v}, MlflowEnv does not name it`),
    ...named
      .filter((v) => !read.includes(v))
      .map((v) => `MlflowEnv names ${v}, entrypoint.py does not read it`),
  ];
}

describe("MLflow environment contract", () => {
  it("names exactly the variables entrypoint.py reads", () => {
    expect(variablesRead(ENTRYPOINT).length).toBeGreaterThan(10);
    expect(differences(ENTRYPOINT)).toEqual([]);
  });

  it("reports a variable renamed in the entrypoint only", () => {
    const renamed = ENTRYPOINT.replaceAll('"MLFLOW_STATIC_PREFIX"', '"MLFLOW_PREFIX"');
    expect(differences(renamed)).toEqual([
      "entrypoint.py reads MLFLOW_PREFIX, MlflowEnv does not name it",
      "MlflowEnv names MLFLOW_STATIC_PREFIX, entrypoint.py does not read it",
    ]);
  });

  it("is the schema compute wires the mlflow task against, with its database credentials as secrets", () => {
    expect(SERVICE_ENV.mlflow).toBe(MlflowEnv);
    const wired = {
      DB_HOST: "tradai-dev-mlflow.abc.eu-central-1.rds.amazonaws.com",
      DB_PORT: "5432",
      DB_NAME: "mlflow",
      ARTIFACTS_BUCKET: "tradai-dev-artifacts",
      MLFLOW_STATIC_PREFIX: "/mlflow",
    };
    const secrets = Object.fromEntries(MLFLOW_SECRET_VARIABLES.map((name) => [name, "from-secret"]));
    expect(MlflowEnv.safeParse({ ...wired, ...secrets }).success).toBe(true);
    // Without the secrets the entrypoint has no database to connect to.
    expect(MlflowEnv.safeParse(wired).error?.issues.map((i) => i.path.join("."))).toEqual(["DB_HOST"]);
    expect(MlflowEnv.safeParse({ ...wired, ...secrets, ARTIFACTS_BUCKET: "s3://bucket" }).success).toBe(
      false,
    );
  });
});
