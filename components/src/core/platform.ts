/**
 * The fixed vocabulary of the platform: environments, layers, services. Every program, the CLI, the
 * offline plan and the policy pack take their names from here, so an unknown name is refused in one place.
 */
import * as fs from "node:fs";
import * as path from "node:path";

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

/** Absolute path of the repository root (this file lives in `components/src/core`). */
export const REPO_ROOT = path.resolve(__dirname, "..", "..", "..");

/** Absolute path of a layer's Pulumi project directory. */
export function stackDir(layer: Layer, root: string = REPO_ROOT): string {
  return path.join(root, "stacks", layer);
}

/** Folders under `lambdas/` that are not Lambda functions. */
const NOT_LAMBDAS = new Set(["base", "common"]);

/**
 * The Lambda functions of the platform: every `lambdas/<dir>` holding a `Dockerfile`, except `base` and
 * `common`, sorted by name. The one discovery rule (ARCHITECTURE.md section 3): compute, the persistent
 * layer's ECR repositories, the build scripts and `tradai lambda list` all call this.
 */
export function discoverLambdas(root: string = REPO_ROOT): string[] {
  const dir = path.join(root, "lambdas");
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isDirectory() && !NOT_LAMBDAS.has(e.name))
    .filter((e) => fs.existsSync(path.join(dir, e.name, "Dockerfile")))
    .map((e) => e.name)
    .sort();
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
export const parseServiceImage = (value: string): ServiceImage =>
  oneOf("service image", SERVICE_IMAGES, value);
