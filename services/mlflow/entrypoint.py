#!/usr/bin/env python3
"""Entrypoint of the TradAI MLflow tracking server container.

Builds the `mlflow server` command from the environment the compute layer sets and replaces this process
with it (exec), so the server receives ECS's SIGTERM directly.

Environment:
  DB_HOST                 RDS endpoint address (`host` or `host:port`)           required*
  DB_PORT                 database port (default 5432, ignored when DB_HOST has a port)
  DB_NAME                 database name (default `mlflow`)
  DB_USERNAME, DB_PASSWORD  injected by ECS from the RDS-managed master user secret  required*
  DB_SSLMODE              libpq sslmode (default `require`: RDS accepts TLS)
  MLFLOW_BACKEND_STORE_URI  explicit backend store URI; replaces the DB_* variables (local runs, tests)
  ARTIFACTS_BUCKET        artifacts bucket; artifacts go to s3://<bucket>/mlflow   required
  MLFLOW_HOST / MLFLOW_PORT bind address (default 0.0.0.0:5000)
  MLFLOW_WORKERS          server worker processes (default 2)
  MLFLOW_ALLOWED_HOSTS    extra Host headers to accept (comma-separated: Cloud Map name, ALB host name);
                          localhost and private addresses (ALB health checks) are always accepted
  MLFLOW_STATIC_PREFIX    path prefix when the ALB routes a sub-path (e.g. /mlflow)
  MLFLOW_DB_UPGRADE       run `mlflow db upgrade` before starting (default true; idempotent)
  MLFLOW_SERVER_ENABLE_JOB_EXECUTION  MLflow's server-side job runners (default false: TradAI runs no
                          server jobs, and MLflow 3 would start seven runner processes, each importing
                          MLflow, about 150 MB apiece: more than the task's 1 GB)

Run with `--print` to print the command as JSON (password masked) instead of running it.
"""

import json
import os
import subprocess
import sys
from urllib.parse import quote

# Read by `mlflow server` itself; the entrypoint only sets its default.
JOB_EXECUTION = "MLFLOW_SERVER_ENABLE_JOB_EXECUTION"

# MLflow's own default Host allow-list, kept when extra hosts are added (ALB health checks use the task IP).
DEFAULT_ALLOWED_HOSTS = ["localhost", "localhost:*", "127.0.0.1", "127.0.0.1:*", "10.*", "172.*", "192.168.*"]


class ConfigError(Exception):
    """The environment does not describe a runnable server; the message names every bad variable."""


def _get(env, name, default=None):
    value = env.get(name, "").strip()
    return value if value else default


def backend_store_uri(env):
    """The SQLAlchemy URI of the backend store: MLFLOW_BACKEND_STORE_URI, or PostgreSQL built from DB_*."""
    explicit = _get(env, "MLFLOW_BACKEND_STORE_URI")
    if explicit:
        return explicit
    problems = [f"{name} is required" for name in ("DB_HOST", "DB_USERNAME", "DB_PASSWORD") if not _get(env, name)]
    if problems:
        raise ConfigError("; ".join(problems) + " (or set MLFLOW_BACKEND_STORE_URI)")
    host = _get(env, "DB_HOST")
    port = _get(env, "DB_PORT", "5432")
    if ":" in host:
        host, port = host.rsplit(":", 1)
    if not port.isdigit():
        raise ConfigError(f"DB_PORT must be a number, got {port!r}")
    user = quote(_get(env, "DB_USERNAME"), safe="")
    password = quote(_get(env, "DB_PASSWORD"), safe="")
    database = quote(_get(env, "DB_NAME", "mlflow"), safe="")
    sslmode = quote(_get(env, "DB_SSLMODE", "require"), safe="")
    return f"postgresql+psycopg2://{user}:{password}@{host}:{port}/{database}?sslmode={sslmode}"


def artifact_root(env):
    bucket = _get(env, "ARTIFACTS_BUCKET")
    if not bucket:
        raise ConfigError("ARTIFACTS_BUCKET is required")
    if "/" in bucket or bucket.startswith("s3:"):
        raise ConfigError(f"ARTIFACTS_BUCKET must be a bucket name, got {bucket!r}")
    return f"s3://{bucket}/mlflow"


def server_command(env):
    """The `mlflow server` argument vector for this environment; reports every configuration problem."""
    problems = []
    parts = {}
    for name, build in (("backend", backend_store_uri), ("artifacts", artifact_root)):
        try:
            parts[name] = build(env)
        except ConfigError as error:
            problems.append(str(error))
    if problems:
        raise ConfigError("; ".join(problems))
    command = [
        "mlflow",
        "server",
        "--backend-store-uri",
        parts["backend"],
        "--default-artifact-root",
        parts["artifacts"],
        "--host",
        _get(env, "MLFLOW_HOST", "0.0.0.0"),
        "--port",
        _get(env, "MLFLOW_PORT", "5000"),
        "--workers",
        _get(env, "MLFLOW_WORKERS", "2"),
    ]
    extra_hosts = [h.strip() for h in _get(env, "MLFLOW_ALLOWED_HOSTS", "").split(",") if h.strip()]
    if extra_hosts:
        command += ["--allowed-hosts", ",".join(DEFAULT_ALLOWED_HOSTS + extra_hosts)]
    prefix = _get(env, "MLFLOW_STATIC_PREFIX")
    if prefix:
        if not prefix.startswith("/") or prefix.endswith("/"):
            raise ConfigError(f"MLFLOW_STATIC_PREFIX must start with / and not end with /, got {prefix!r}")
        command += ["--static-prefix", prefix]
    return command


def masked(command):
    """The command with the database password replaced, safe to log."""
    password = quote(os.environ.get("DB_PASSWORD", ""), safe="")
    return [part.replace(f":{password}@", ":****@") if password else part for part in command]


def main(argv):
    env = dict(os.environ)
    try:
        command = server_command(env)
    except ConfigError as error:
        print(json.dumps({"level": "fatal", "service": "mlflow", "msg": f"invalid configuration: {error}"}), file=sys.stderr)
        return 2
    if "--print" in argv:
        print(json.dumps(masked(command)))
        return 0
    store = backend_store_uri(env)
    if _get(env, "MLFLOW_DB_UPGRADE", "true").lower() == "true" and not store.startswith("sqlite:"):
        # Brings an existing database to this MLflow version's schema (no-op when current).
        subprocess.run(["mlflow", "db", "upgrade", store], check=True)
    os.environ[JOB_EXECUTION] = _get(env, "MLFLOW_SERVER_ENABLE_JOB_EXECUTION", "false")
    print(json.dumps({"level": "info", "service": "mlflow", "msg": "starting", "command": masked(command)}), flush=True)
    os.execvp(command[0], command)
    return 1  # not reached


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
