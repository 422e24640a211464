/**
 * The platform vocabulary the CLI uses: `@tradai/contracts` and the checkout helpers of
 * `@tradai/components/platform` (the components index also loads the Pulumi SDK and the AWS provider,
 * about a second, which `tradai --help` must not pay for).
 */

export { discoverLambdas, REPO_ROOT, stackDir } from "@tradai/components/platform";
export {
  computeOutputsSchema,
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
  persistentOutputsSchema,
  projectName,
  SERVICE_IMAGES,
  type ServiceImage,
  TRADING_SERVICES,
  UnknownNameError,
} from "@tradai/contracts";
