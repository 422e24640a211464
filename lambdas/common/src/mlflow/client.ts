/**
 * A typed client for the MLflow tracking server's REST API (2.0): the model registry calls the model
 * Lambdas make (registered models, versions, aliases, search) and run metrics. Every response is
 * validated with zod; every failure is an {@link MlflowError} carrying the HTTP status and MLflow's
 * `error_code`, so callers can tell "not found" from "server down".
 */
import * as z from "zod";
import {
  ErrorBodySchema,
  type ModelVersion,
  ModelVersionSchema,
  type RegisteredModel,
  RegisteredModelSchema,
  type Run,
  RunSchema,
  toModelVersion,
  toRegisteredModel,
  toRun,
} from "./schemas";

/** A failed MLflow call: `status` is 0 when the server was not reached or the answer was unreadable. */
export class MlflowError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly errorCode: string | undefined,
    readonly operation: string,
  ) {
    super(message);
    this.name = "MlflowError";
  }

  /** MLflow's way of saying the model, version or run does not exist. */
  get notFound(): boolean {
    return this.errorCode === "RESOURCE_DOES_NOT_EXIST";
  }
}

export interface MlflowClientOptions {
  /** Tracking server base URL (`MLFLOW_TRACKING_URI`), e.g. `http://mlflow.tradai.local:5000`. */
  baseUrl: string;
  /** Per-request timeout. @default 10000 */
  timeoutMs?: number;
}

export interface SearchModelVersionsOptions {
  /** MLflow search filter, e.g. `name='churn'` or `name='churn' AND tags.stage='x'`. */
  filter?: string;
  /** e.g. `["version_number DESC"]`, `["creation_timestamp DESC"]`. */
  orderBy?: string[];
  /** Stop after this many versions (pages are fetched until reached). @default 1000 */
  limit?: number;
  /** Versions per request (MLflow allows up to 200). @default 200 */
  pageSize?: number;
}

const RegisteredModelResponse = z.object({ registered_model: RegisteredModelSchema });
const ModelVersionResponse = z.object({ model_version: ModelVersionSchema });
const SearchVersionsResponse = z.object({
  model_versions: z.array(ModelVersionSchema).default([]),
  next_page_token: z.string().optional(),
});
const RunResponse = z.object({ run: RunSchema });
const EmptyResponse = z.object({});

/** Largest page `model-versions/search` accepts. */
const PAGE_SIZE = 200;

export class MlflowClient {
  private readonly baseUrl: string;
  private readonly timeoutMs: number;

  constructor(options: MlflowClientOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, "");
    this.timeoutMs = options.timeoutMs ?? 10_000;
  }

  /** The registered model, or `null` when no model has that name. */
  async getRegisteredModel(name: string): Promise<RegisteredModel | null> {
    const body = await this.orNull(
      this.call("GET", "registered-models/get", RegisteredModelResponse, { query: { name } }),
    );
    return body ? toRegisteredModel(body.registered_model) : null;
  }

  /** One version, or `null` when the model or version does not exist. */
  async getModelVersion(name: string, version: string): Promise<ModelVersion | null> {
    const body = await this.orNull(
      this.call("GET", "model-versions/get", ModelVersionResponse, { query: { name, version } }),
    );
    return body ? toModelVersion(body.model_version) : null;
  }

  /**
   * The version an alias points at, or `null` when the model does not exist or has no such alias. Read
   * through the registered model's alias list, because MLflow reports a missing alias with the generic
   * INVALID_PARAMETER_VALUE code.
   */
  async getModelVersionByAlias(name: string, alias: string): Promise<ModelVersion | null> {
    const model = await this.getRegisteredModel(name);
    const version = model?.aliases[alias];
    if (version === undefined) return null;
    const found = await this.getModelVersion(name, version);
    if (!found) {
      throw new MlflowError(
        `MLflow alias ${name}@${alias} points at version ${version}, which does not exist`,
        404,
        "RESOURCE_DOES_NOT_EXIST",
        "getModelVersionByAlias",
      );
    }
    return found;
  }

  /** Points `alias` at `version` (moving it if it pointed elsewhere). Idempotent. */
  async setAlias(name: string, alias: string, version: string): Promise<void> {
    await this.call("POST", "registered-models/alias", EmptyResponse, { body: { name, alias, version } });
  }

  /** Removes `alias`. Deleting an alias that does not exist succeeds (MLflow treats it as a no-op). */
  async deleteAlias(name: string, alias: string): Promise<void> {
    await this.call("DELETE", "registered-models/alias", EmptyResponse, { body: { name, alias } });
  }

  /** Sets a tag on a model version. */
  async setModelVersionTag(name: string, version: string, key: string, value: string): Promise<void> {
    await this.call("POST", "model-versions/set-tag", EmptyResponse, { body: { name, version, key, value } });
  }

  /** Model versions matching `filter`, following pagination up to `limit`. */
  async searchModelVersions(options: SearchModelVersionsOptions = {}): Promise<ModelVersion[]> {
    const limit = options.limit ?? 1000;
    const pageSize = Math.min(options.pageSize ?? PAGE_SIZE, PAGE_SIZE);
    const found: ModelVersion[] = [];
    let pageToken: string | undefined;
    do {
      const query: Record<string, string | string[]> = {
        max_results: String(Math.min(pageSize, limit - found.length)),
      };
      if (options.filter) query.filter = options.filter;
      if (options.orderBy) query.order_by = options.orderBy;
      if (pageToken) query.page_token = pageToken;
      const page = await this.call("GET", "model-versions/search", SearchVersionsResponse, { query });
      found.push(...page.model_versions.map(toModelVersion));
      pageToken = page.next_page_token || undefined;
    } while (pageToken && found.length < limit);
    return found;
  }

  /** A run with the latest value of each of its metrics. @throws MlflowError (notFound) for an unknown run. */
  async getRun(runId: string): Promise<Run> {
    const body = await this.call("GET", "runs/get", RunResponse, { query: { run_id: runId } });
    return toRun(body.run);
  }

  private async orNull<T>(request: Promise<T>): Promise<T | null> {
    try {
      return await request;
    } catch (error) {
      if (error instanceof MlflowError && error.notFound) return null;
      throw error;
    }
  }

  private async call<S extends z.ZodType>(
    method: "GET" | "POST" | "DELETE",
    route: string,
    schema: S,
    options: { query?: Record<string, string | string[]>; body?: unknown },
  ): Promise<z.output<S>> {
    const operation = `${method} ${route}`;
    const url = new URL(`${this.baseUrl}/api/2.0/mlflow/${route}`);
    for (const [key, value] of Object.entries(options.query ?? {})) {
      for (const item of Array.isArray(value) ? value : [value]) url.searchParams.append(key, item);
    }
    let response: Response;
    let text: string;
    try {
      response = await fetch(url, {
        method,
        headers: options.body === undefined ? undefined : { "content-type": "application/json" },
        body: options.body === undefined ? undefined : JSON.stringify(options.body),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
      text = await response.text();
    } catch (error) {
      throw new MlflowError(
        `MLflow ${operation} at ${this.baseUrl} failed: ${(error as Error).message}`,
        0,
        undefined,
        operation,
      );
    }
    const json = parseJson(text);
    if (!response.ok) {
      const parsed = ErrorBodySchema.safeParse(json);
      const code = parsed.success ? parsed.data.error_code : undefined;
      const detail = parsed.success ? parsed.data.message : text.slice(0, 300);
      throw new MlflowError(
        `MLflow ${operation} failed with HTTP ${response.status}${code ? ` ${code}` : ""}: ${detail}`,
        response.status,
        code,
        operation,
      );
    }
    const parsed = schema.safeParse(json);
    if (!parsed.success) {
      const problems = parsed.error.issues.map((i) => `${i.path.join(".") || "(root)"}: ${i.message}`);
      throw new MlflowError(
        `MLflow ${operation} returned an unexpected response: ${problems.join("; ")}`,
        response.status,
        undefined,
        operation,
      );
    }
    return parsed.data;
  }
}

function parseJson(text: string): unknown {
  if (text.trim() === "") return {};
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
