/**
 * The environment of the MLflow image. Its entrypoint is Python (`services/mlflow/entrypoint.py`), so
 * this schema is not what it parses with: it names every variable the entrypoint reads and what each
 * must hold, so the compute wiring is typed against it like the Node services' (a test in
 * `services/mlflow/test` keeps it and the variables the entrypoint reads equal).
 */
import { z } from "zod";
import { port, requiredString } from "./fields";

const optional = () => z.string().optional();

export const MlflowEnv = z
  .object({
    /** RDS endpoint address (`host` or `host:port`). */
    DB_HOST: optional(),
    /** Database port (default 5432; ignored when DB_HOST has a port). */
    DB_PORT: port().optional(),
    /** Database name (default `mlflow`). */
    DB_NAME: optional(),
    /** Injected by ECS from the RDS-managed master user secret (`MLFLOW_SECRET_VARIABLES`). */
    DB_USERNAME: optional(),
    DB_PASSWORD: optional(),
    /** libpq sslmode (default `require`: RDS accepts TLS). */
    DB_SSLMODE: optional(),
    /** Explicit backend store URI; replaces the DB_* variables (local runs, tests). */
    MLFLOW_BACKEND_STORE_URI: optional(),
    /** Artifacts bucket name; artifacts go to `s3://<bucket>/mlflow`. */
    ARTIFACTS_BUCKET: requiredString().regex(/^(?!s3:)[^/]+$/, "must be a bucket name"),
    /** Bind address (default 0.0.0.0:5000). */
    MLFLOW_HOST: optional(),
    MLFLOW_PORT: port().optional(),
    /** Server worker processes (default 2). */
    MLFLOW_WORKERS: z.coerce.number().int().positive().optional(),
    /** Extra Host headers to accept (comma-separated: Cloud Map name, ALB host name). */
    MLFLOW_ALLOWED_HOSTS: optional(),
    /** Path prefix when the ALB routes a sub-path (e.g. `/mlflow`). */
    MLFLOW_STATIC_PREFIX: z
      .string()
      .regex(/^\/.*[^/]$/, "must start with / and not end with /")
      .optional(),
    /** Run `mlflow db upgrade` before starting (default true). */
    MLFLOW_DB_UPGRADE: optional(),
    /**
     * MLflow's server-side job runners (default false: TradAI runs no server jobs; MLflow 3 would start
     * seven runner processes of about 150 MB each, past the task's memory).
     */
    MLFLOW_SERVER_ENABLE_JOB_EXECUTION: z.enum(["true", "false"]).optional(),
  })
  .refine(
    (env) =>
      env.MLFLOW_BACKEND_STORE_URI !== undefined ||
      (env.DB_HOST !== undefined && env.DB_USERNAME !== undefined && env.DB_PASSWORD !== undefined),
    {
      message: "DB_HOST, DB_USERNAME and DB_PASSWORD are required (or MLFLOW_BACKEND_STORE_URI)",
      path: ["DB_HOST"],
    },
  );

/** The variables ECS injects into the MLflow task from the RDS-managed master user secret. */
export const MLFLOW_SECRET_VARIABLES = [
  "DB_USERNAME",
  "DB_PASSWORD",
] as const satisfies readonly (keyof z.input<typeof MlflowEnv>)[];
