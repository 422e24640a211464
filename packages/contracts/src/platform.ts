/**
 * The fixed vocabulary of the platform: environments, layers, services. Every program, the CLI, the
 * offline plan and the policy pack take their names from here, so an unknown name is refused in one place.
 * Plain data and zod only: the Lambdas and services load it too.
 */
/** Deployment environments; each is a Pulumi stack of every layer. */
export const ENVIRONMENTS = ["dev", "staging", "prod"] as const;
export type Environment = (typeof ENVIRONMENTS)[number];

/** The four layers in deployment order. Teardown runs in reverse. */
export const LAYERS = ["persistent", "foundation", "compute", "edge"] as const;
export type Layer = (typeof LAYERS)[number];

/** Service images built from `services/<name>/Dockerfile` (spec section 6.1). */
export const SERVICE_IMAGES = ["backend", "data-collection", "strategy-service", "mlflow"] as const;
export type ServiceImage = (typeof SERVICE_IMAGES)[number];

/** The port each service image listens on: the security groups (foundation) and the tasks (compute). */
export const SERVICE_PORTS: Record<ServiceImage, number> = {
  backend: 8000,
  "data-collection": 8080,
  "strategy-service": 8001,
  mlflow: 5000,
};

/** ECS services and the image each runs. `strategy-service` also runs as the two trading services. */
export const ECS_SERVICES = {
  "backend-api": "backend",
  "data-collection": "data-collection",
  "strategy-service": "strategy-service",
  mlflow: "mlflow",
  "dry-run-trading": "strategy-service",
  "live-trading": "strategy-service",
} as const satisfies Record<string, ServiceImage>;
export type EcsServiceName = keyof typeof ECS_SERVICES;
export const ECS_SERVICE_NAMES = Object.keys(ECS_SERVICES) as EcsServiceName[];

/**
 * The spec's image names accepted wherever a service is named, for the image whose name is not itself a
 * service: `backend` is the `backend-api` service (spec section 6.1 names images, the CLI names services).
 */
export const ECS_SERVICE_ALIASES = { backend: "backend-api" } as const satisfies Partial<
  Record<ServiceImage, EcsServiceName>
>;

/** The services `ecs force-deploy-all` rolls (spec section 6.3: trading services only). */
export const TRADING_SERVICES = [
  "strategy-service",
  "dry-run-trading",
  "live-trading",
] as const satisfies readonly EcsServiceName[];

/** The services the docker-build workflow redeploys after pushing their images (spec section 6.3). */
export const IMAGE_REDEPLOY_SERVICES = [
  "backend-api",
  "data-collection",
  "strategy-service",
  "mlflow",
] as const satisfies readonly EcsServiceName[];

/**
 * The container Lambdas, one `lambdas/<name>` folder each (with a Dockerfile). This list, not the
 * folders, drives the layers: the persistent layer's repositories, compute's functions and edge's
 * alarms and dashboard. A test keeps it and the folders in agreement. `update-nat-routes` is not here:
 * it is the foundation layer's inline function, not a container image.
 */
export const LAMBDAS = [
  "backtest-consumer",
  "check-retraining-needed",
  "cleanup-resources",
  "compare-models",
  "data-collection-proxy",
  "drift-monitor",
  "health-check",
  "model-rollback",
  "notify-completion",
  "orphan-scanner",
  "promote-model",
  "pulumi-drift-detector",
  "retraining-scheduler",
  "sqs-consumer",
  "trading-heartbeat-check",
  "update-status",
  "validate-strategy",
] as const;
export type LambdaName = (typeof LAMBDAS)[number];

/** The Cloud Map private DNS namespace the ECS services register in. */
export function cloudMapNamespace(env: Environment): string {
  return `tradai-${env}.internal`;
}

/** `http://<name>.<namespace>:<port>`: how one service reaches another inside the VPC. */
export function serviceUrl(name: EcsServiceName, namespace: string, port: number): string {
  return `http://${name}.${namespace}:${port}`;
}

/** The liveness path every Node service answers (load balancer and container health checks probe it). */
export const HEALTH_PATH = "/health";

/** The ALB routes `/mlflow/*` to MLflow, so MLflow serves everything (UI, REST API, /health) under it. */
export const MLFLOW_PATH_PREFIX = "/mlflow";

/** MLflow's tracking URI inside the VPC (Cloud Map name, port and path prefix). */
export function mlflowTrackingUri(namespace: string): string {
  return `${serviceUrl("mlflow", namespace, SERVICE_PORTS.mlflow)}${MLFLOW_PATH_PREFIX}`;
}

/** The CloudWatch namespace of the platform's own metrics (Lambdas publish, edge alarms and charts). */
export const METRICS_NAMESPACE = "TradAI";

/** Metric names published in {@link METRICS_NAMESPACE} that another package alarms on or charts. */
export const PLATFORM_METRICS = {
  staleHeartbeats: "StaleHeartbeats",
  unhealthyServices: "UnhealthyServices",
  stackDrift: "StackDrift",
  orphanedResources: "OrphanedResources",
  /** Per model, dimension `ModelName`. */
  driftScore: "DriftScore",
  /** A trading service's live drawdown (dimensions `ModelName`, `Mode`): model-rollback's alarm. */
  liveDrawdown: "LiveDrawdown",
} as const;

/** Alias of the KMS key bootstrap creates to encrypt stack secrets (docs/bootstrap.md). */
export const PULUMI_SECRETS_KEY_ALIAS = "alias/tradai-pulumi-secrets";

/** The stacks' secrets provider by default: bootstrap's KMS key (CI and the drift detector need no passphrase). */
export function kmsSecretsProvider(region: string): string {
  return `awskms://${PULUMI_SECRETS_KEY_ALIAS}?region=${region}`;
}

/** The passphrase secrets provider: only on request; `PULUMI_CONFIG_PASSPHRASE` is then needed everywhere. */
export const PASSPHRASE_SECRETS_PROVIDER = "passphrase";

/** Pulumi project name of each layer (the `name:` in `stacks/<layer>/Pulumi.yaml`). */
export function projectName(layer: Layer): string {
  return `tradai-${layer}`;
}

/** Narrowing helpers that name the valid choices in their error. */
function oneOf<T extends string>(kind: string, choices: readonly T[], value: string): T {
  if ((choices as readonly string[]).includes(value)) return value as T;
  throw new UnknownNameError(kind, value, choices);
}

export class UnknownNameError extends Error {
  constructor(
    readonly kind: string,
    readonly value: string,
    readonly choices: readonly string[],
  ) {
    super(`unknown ${kind} "${value}"; valid ${kind}s: ${choices.join(", ")}`);
    this.name = "UnknownNameError";
  }
}

export const parseEnvironment = (value: string): Environment => oneOf("environment", ENVIRONMENTS, value);
export const parseLayer = (value: string): Layer => oneOf("layer", LAYERS, value);
/** An ECS service by its name or by the spec's image name (`backend` -> `backend-api`). */
export function parseEcsService(value: string): EcsServiceName {
  const alias = (ECS_SERVICE_ALIASES as Record<string, EcsServiceName>)[value];
  if (alias) return alias;
  try {
    return oneOf("service", ECS_SERVICE_NAMES, value);
  } catch (error) {
    if (!(error instanceof UnknownNameError)) throw error;
    const aliases = Object.entries(ECS_SERVICE_ALIASES).map(([from, to]) => `${from} (= ${to})`);
    throw new UnknownNameError("service", value, [...ECS_SERVICE_NAMES, ...aliases]);
  }
}
export const parseLambda = (value: string): LambdaName => oneOf("Lambda", LAMBDAS, value);
export const parseServiceImage = (value: string): ServiceImage =>
  oneOf("service image", SERVICE_IMAGES, value);
