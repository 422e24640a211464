/**
 * The start of every layer program: validated config, the environment, the tagged AWS provider, the
 * naming function, and typed access to earlier layers' outputs.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { Environment, Layer, LayerOutputs } from "@tradai/contracts";
import { defaultTags } from "@tradai/contracts";
import type { z } from "zod";
import { referencedStackName, type StackRefKey } from "../config/common";
import {
  currentEnvironment,
  currentStackName,
  parseConfig,
  rawConfig,
  requireNamespaced,
} from "../config/load";
import { readLayer } from "../contracts/read";
import { type NameOptions, physicalName } from "./naming";

/** Config keys every layer schema includes (see `commonConfigShape`). */
interface CommonConfig {
  repository: string;
  accountId?: string | undefined;
  persistentStack?: string | undefined;
  foundationStack?: string | undefined;
  computeStack?: string | undefined;
}

export interface LayerContext<C extends CommonConfig> {
  env: Environment;
  layer: Layer | "bootstrap";
  /** Fully qualified name of the running stack. */
  stackName: string;
  /**
   * The validated stack config: every value that differs between environments is a key here (stated in
   * `Pulumi.<env>.yaml`), never read from a code profile.
   */
  config: C;
  region: string;
  /** The tagged provider every resource of the layer uses (passed down through {@link opts}). */
  provider: aws.Provider;
  /** Options to give each top-level component: the provider, inherited by all children. */
  opts: pulumi.ComponentResourceOptions;
  /** The account the provider deploys into. */
  accountId: pulumi.Output<string>;
  tags: Record<string, string>;
  /** `tradai-<env>-<parts>`: see `physicalName`. */
  name(parts: string | readonly string[], options?: NameOptions): string;
  /** Typed outputs of an earlier layer of the same environment. */
  read<L extends Exclude<Layer, "edge">>(layer: L): pulumi.Output<LayerOutputs[L]>;
}

/**
 * Validates config and sets up the provider. Call first in a layer program: bad config throws a
 * `ConfigError` naming the stack and key before any resource exists.
 */
export function initLayer<S extends z.ZodType<CommonConfig, Record<string, string>>>(
  layer: Layer | "bootstrap",
  schemaFor: (env: Environment) => S,
): LayerContext<z.output<S>> {
  const env = currentEnvironment();
  const stackName = currentStackName();
  const config = parseConfig(schemaFor(env), rawConfig(), stackName) as z.output<S>;
  const region = requireNamespaced("aws", "region");
  const tags = defaultTags(env, layer, config.repository);
  const provider = new aws.Provider(`${layer}-aws`, {
    region: region as aws.Region,
    defaultTags: { tags },
    ...(config.accountId ? { allowedAccountIds: [config.accountId] } : {}),
  });
  const accountId = aws.getCallerIdentityOutput({}, { provider }).accountId;
  const refs = new Map<Layer, pulumi.Output<unknown>>();
  return {
    env,
    layer,
    stackName,
    config,
    region,
    provider,
    opts: { providers: [provider] },
    accountId,
    tags,
    name: (parts, options) => physicalName(env, parts, options),
    read<L extends Exclude<Layer, "edge">>(l: L) {
      let out = refs.get(l);
      if (!out) {
        const key: StackRefKey = `${l}Stack`;
        const name = referencedStackName(l, config[key], pulumi.getOrganization(), pulumi.getStack());
        out = readLayer(l, name);
        refs.set(l, out);
      }
      return out as pulumi.Output<LayerOutputs[L]>;
    },
  };
}
