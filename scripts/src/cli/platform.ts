/**
 * The platform vocabulary the CLI uses, re-exported from the leaf modules of `@tradai/components`: the
 * package index also loads the Pulumi SDK and the AWS provider (about a second), which `tradai --help`
 * must not pay for.
 */

export {
  computeOutputsSchema,
  persistentOutputsSchema,
} from "@tradai/components/src/contracts/schemas";
export {
  discoverLambdas,
  ECS_SERVICE_ALIASES,
  ECS_SERVICE_NAMES,
  ECS_SERVICES,
  type EcsServiceName,
  ENVIRONMENTS,
  type Environment,
  IMAGE_REDEPLOY_SERVICES,
  kmsSecretsProvider,
  LAYERS,
  type Layer,
  PASSPHRASE_SECRETS_PROVIDER,
  PULUMI_SECRETS_KEY_ALIAS,
  parseEcsService,
  parseEnvironment,
  parseLayer,
  parseServiceImage,
  projectName,
  REPO_ROOT,
  SERVICE_IMAGES,
  type ServiceImage,
  stackDir,
  TRADING_SERVICES,
  UnknownNameError,
} from "@tradai/components/src/core/platform";
