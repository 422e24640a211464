/** The few MLflow REST calls training needs (`/api/2.0/mlflow/...`). */

export class MlflowError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly errorCode: string | undefined,
  ) {
    super(message);
    this.name = "MlflowError";
  }
}

export interface MlflowRun {
  runId: string;
  artifactUri: string;
}

export class MlflowClient {
  private readonly base: string;

  constructor(
    trackingUri: string,
    private readonly timeoutMs = 15_000,
  ) {
    this.base = `${trackingUri.replace(/\/+$/, "")}/api/2.0/mlflow`;
  }

  private async call<T>(method: "GET" | "POST", route: string, body?: unknown): Promise<T> {
    const response = await fetch(`${this.base}/${route}`, {
      method,
      headers: body === undefined ? {} : { "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(this.timeoutMs),
    });
    const text = await response.text();
    if (!response.ok) {
      let code: string | undefined;
      try {
        code = (JSON.parse(text) as { error_code?: string }).error_code;
      } catch {
        // not JSON
      }
      throw new MlflowError(
        `MLflow ${method} ${route} -> ${response.status}: ${text.slice(0, 300)}`,
        response.status,
        code,
      );
    }
    return (text ? JSON.parse(text) : {}) as T;
  }

  /** The experiment id for `name`, creating the experiment when it does not exist. */
  async ensureExperiment(name: string): Promise<string> {
    try {
      const found = await this.call<{ experiment: { experiment_id: string } }>(
        "GET",
        `experiments/get-by-name?experiment_name=${encodeURIComponent(name)}`,
      );
      return found.experiment.experiment_id;
    } catch (error) {
      if (!(error instanceof MlflowError && error.errorCode === "RESOURCE_DOES_NOT_EXIST")) throw error;
    }
    try {
      return (await this.call<{ experiment_id: string }>("POST", "experiments/create", { name }))
        .experiment_id;
    } catch (error) {
      // Another trainer created it in between.
      if (error instanceof MlflowError && error.errorCode === "RESOURCE_ALREADY_EXISTS")
        return this.ensureExperiment(name);
      throw error;
    }
  }

  async createRun(experimentId: string, runName: string, tags: Record<string, string>): Promise<MlflowRun> {
    const result = await this.call<{ run: { info: { run_id: string; artifact_uri: string } } }>(
      "POST",
      "runs/create",
      {
        experiment_id: experimentId,
        run_name: runName,
        start_time: Date.now(),
        tags: Object.entries(tags).map(([key, value]) => ({ key, value })),
      },
    );
    return { runId: result.run.info.run_id, artifactUri: result.run.info.artifact_uri };
  }

  async logBatch(
    runId: string,
    params: Record<string, string | number>,
    metrics: Record<string, number>,
  ): Promise<void> {
    const timestamp = Date.now();
    await this.call("POST", "runs/log-batch", {
      run_id: runId,
      params: Object.entries(params).map(([key, value]) => ({ key, value: String(value) })),
      metrics: Object.entries(metrics).map(([key, value]) => ({ key, value, timestamp, step: 0 })),
    });
  }

  async endRun(runId: string, status: "FINISHED" | "FAILED"): Promise<void> {
    await this.call("POST", "runs/update", { run_id: runId, status, end_time: Date.now() });
  }

  async ensureRegisteredModel(name: string): Promise<void> {
    try {
      await this.call("POST", "registered-models/create", { name });
    } catch (error) {
      if (!(error instanceof MlflowError && error.errorCode === "RESOURCE_ALREADY_EXISTS")) throw error;
    }
  }

  /** Registers the run's model; returns the new version number. */
  async createModelVersion(name: string, runId: string, tags: Record<string, string>): Promise<string> {
    const result = await this.call<{ model_version: { version: string } }>("POST", "model-versions/create", {
      name,
      source: `runs:/${runId}/model`,
      run_id: runId,
      tags: Object.entries(tags).map(([key, value]) => ({ key, value })),
    });
    return result.model_version.version;
  }

  async setAlias(name: string, alias: string, version: string): Promise<void> {
    await this.call("POST", "registered-models/alias", { name, alias, version });
  }
}
