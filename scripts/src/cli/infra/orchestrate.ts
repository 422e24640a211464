/**
 * Multi-stack operations over a `StackRunnerFactory`: deployment order, teardown order, the persistent
 * teardown confirmation, recovery. Each stack is one progress step; prod is guarded by the account check.
 */
import { guardProd } from "../aws/account";
import { awsRegion } from "../aws/region";
import type { CliContext } from "../context";
import { CliError, messageOf, RefusedError, UsageError } from "../errors";
import {
  type Environment,
  kmsSecretsProvider,
  LAYERS,
  type Layer,
  PASSPHRASE_SECRETS_PROVIDER,
} from "../platform";
import { describeChanges, type ProgressStep } from "../progress";
import { urnName } from "./image-targets";
import type { ChangeSummary, ImageVerdict, RefreshResult, StackOutput } from "./stack-runner";

/** Teardown modes and the stacks each destroys, in order (spec 5.2). */
export const DOWN_ORDERS = {
  soft: ["edge", "compute"],
  all: ["edge", "compute", "foundation"],
  persistent: ["persistent"],
} as const satisfies Record<string, readonly Layer[]>;
export type DownMode = keyof typeof DOWN_ORDERS;
export const DOWN_MODES = Object.keys(DOWN_ORDERS) as DownMode[];

/** What the operator types to destroy the persistent layer (spec section 8). */
export const CONFIRM_PHRASE = "destroy-all-data";

function stackStep(
  layer: Layer,
  env: Environment,
  verb: string,
  run: (log: (line: string) => void) => Promise<ChangeSummary>,
): ProgressStep {
  return {
    title: `${verb} ${layer} (${env})`,
    run: async (log) => describeChanges(await run(log)),
  };
}

/** `pulumi up` of each layer in order; stops at the first failure. */
export async function upLayers(ctx: CliContext, layers: readonly Layer[], env: Environment): Promise<void> {
  await guardProd(ctx, env);
  let current: Layer | undefined;
  const steps = layers.map((layer) =>
    stackStep(layer, env, "up", async (log) => {
      current = layer;
      return (await ctx.stacks(layer, env)).up({ onOutput: log });
    }),
  );
  try {
    await ctx.progress.run(steps);
  } catch (error) {
    const rest = current ? layers.slice(layers.indexOf(current)) : layers;
    throw new CliError(
      `deployment of ${current ?? "the stacks"} (${env}) failed: ${messageOf(error)}`,
      `fix the error, then run: ${rest.map((l) => `pnpm tradai infra up ${l} ${env}`).join(" && ")}` +
        ` (a stack left locked: pnpm tradai infra recover ${current ?? "<layer>"} ${env})`,
    );
  }
}

/** Full deployment: every layer in order (compute builds and pushes the images inside its update). */
export function bootstrap(ctx: CliContext, env: Environment): Promise<void> {
  return upLayers(ctx, LAYERS, env);
}

/** Previews each layer (policy pack included); all run, failures are reported together. */
export async function previewLayers(
  ctx: CliContext,
  layers: readonly Layer[],
  env: Environment,
): Promise<Record<string, ChangeSummary | { error: string }>> {
  await guardProd(ctx, env);
  const results: Record<string, ChangeSummary | { error: string }> = {};
  const steps = layers.map(
    (layer): ProgressStep => ({
      title: `preview ${layer} (${env})`,
      run: async (log) => {
        const changes = await (await ctx.stacks(layer, env)).preview({ onOutput: log });
        results[layer] = changes;
        return describeChanges(changes);
      },
    }),
  );
  const outcomes = await ctx.progress.run(steps, { continueOnError: true });
  outcomes.forEach((outcome, i) => {
    const layer = layers[i];
    if (layer && !outcome.ok) results[layer] = { error: messageOf(outcome.error) };
  });
  const failed = layers.filter((l) => {
    const r = results[l];
    return r !== undefined && "error" in r;
  });
  if (failed.length) {
    throw new CliError(
      `preview failed for ${failed.join(", ")}`,
      "a layer fails to preview when an earlier layer is not deployed; see the errors above",
    );
  }
  return results;
}

/**
 * Destroys the mode's stacks in order. `persistent` destroys all data and is refused unless a person
 * types the confirmation phrase: never without a TTY, never in CI, whatever the flags.
 */
export async function down(ctx: CliContext, mode: DownMode, env: Environment): Promise<void> {
  if (mode === "persistent") {
    if (!ctx.interactive) {
      throw new RefusedError(
        "refusing to destroy the persistent layer (all data) in a non-interactive session",
        `run it from a terminal (not CI): pnpm tradai infra down persistent ${env}`,
      );
    }
    await guardProd(ctx, env);
    const answer = await ctx.prompt(
      `This destroys ALL data of ${env} (S3 buckets, DynamoDB tables, ECR repositories, Cognito users). ` +
        `Type ${CONFIRM_PHRASE} to continue`,
    );
    if (answer?.trim() !== CONFIRM_PHRASE) {
      throw new RefusedError(`confirmation not given: nothing was destroyed (expected "${CONFIRM_PHRASE}")`);
    }
  } else {
    await guardProd(ctx, env);
  }
  const layers = DOWN_ORDERS[mode];
  const steps = layers.map((layer) =>
    stackStep(layer, env, "destroy", async (log) =>
      (await ctx.stacks(layer, env)).destroy({ onOutput: log }),
    ),
  );
  try {
    await ctx.progress.run(steps);
  } catch (error) {
    throw new CliError(
      `teardown stopped: ${messageOf(error)}`,
      env === "prod"
        ? "prod resources have deletion protection: remove it in Pulumi.prod.yaml and `up` first (docs/teardown)"
        : `fix the error and rerun: pnpm tradai infra down ${mode} ${env}`,
    );
  }
}

/** A refresh's counts, and what ECR said of the images it left out. */
export function describeRefresh(result: RefreshResult): string {
  const { present, missing } = result.images;
  const images = present.length + missing.length;
  if (images === 0) return describeChanges(result.changes);
  return (
    `${describeChanges(result.changes)}; images in ECR: ${present.length} of ${images}` +
    (missing.length > 0 ? `, ${missing.length} missing` : "")
  );
}

/**
 * The error for images the state records that ECR no longer holds. A refresh cannot adopt that drift (it
 * leaves images to ECR's API), and an `up` would not notice it (the image's inputs have not changed), so
 * the operator is told to rebuild exactly those images and roll what runs them.
 */
export function missingImagesError(
  layer: Layer,
  env: Environment,
  images: ImageVerdict,
): CliError | undefined {
  const { missing } = images;
  if (missing.length === 0) return undefined;
  const names = missing.map(urnName);
  return new CliError(
    `${missing.length} image(s) recorded in the state of ${layer} (${env}) are gone from ECR: ${names.join(", ")}`,
    `rebuild and push them, rolling the functions and services onto the new digests: pulumi up --cwd stacks/${layer} ` +
      `--stack ${env} --policy-pack ../../policies --target-dependents ` +
      `${missing.map((urn) => `--target-replace '${urn}'`).join(" ")}; then: pnpm tradai images check ${env}`,
  );
}

/** Refreshes one stack's state from the cloud (images checked in ECR); fails when an image is gone. */
export async function refresh(ctx: CliContext, layer: Layer, env: Environment): Promise<RefreshResult> {
  await guardProd(ctx, env);
  let result: RefreshResult = { changes: {}, images: { present: [], missing: [] } };
  await ctx.progress.run([
    {
      title: `refresh ${layer} (${env})`,
      run: async (log) => {
        result = await (await ctx.stacks(layer, env)).refresh({ onOutput: log });
        return describeRefresh(result);
      },
    },
  ]);
  const missing = missingImagesError(layer, env, result.images);
  if (missing) throw missing;
  return result;
}

export interface RecoverResult {
  /** False when there was no pending update to cancel (or the backend refused). */
  cancelled: boolean;
  refreshed: ChangeSummary;
  /** The images the state records, checked in ECR (a missing one is drift `up` does not repair alone). */
  images: ImageVerdict;
  /** What an `up` would change now: the drift between code and cloud. */
  drift: ChangeSummary;
  /** The preview's output with property diffs. */
  diff: string;
}

/**
 * After an interrupted update: cancel it (release the lock), refresh (clearing pending creates; images
 * checked in ECR), preview. Images gone from ECR are in the result; `tradai infra recover` shows it all,
 * then fails with {@link missingImagesError}.
 */
export async function recover(ctx: CliContext, layer: Layer, env: Environment): Promise<RecoverResult> {
  await guardProd(ctx, env);
  const stack = await ctx.stacks(layer, env);
  let cancelled = false;
  let refreshed: RefreshResult = { changes: {}, images: { present: [], missing: [] } };
  let drift: ChangeSummary = {};
  const diff: string[] = [];
  await ctx.progress.run([
    {
      title: `cancel pending update of ${layer} (${env})`,
      run: async () => {
        try {
          await stack.cancel();
          cancelled = true;
          return "cancelled";
        } catch (error) {
          // Nothing in progress is the common case; the refresh below still clears pending operations.
          return `nothing to cancel (${messageOf(error).split("\n")[0]})`;
        }
      },
    },
    {
      title: `refresh ${layer} (${env})`,
      run: async (log) => {
        refreshed = await stack.refresh({ clearPendingCreates: true, onOutput: log });
        return describeRefresh(refreshed);
      },
    },
    {
      title: `preview ${layer} (${env}) for drift`,
      run: async (log) => {
        drift = await stack.preview({
          diff: true,
          onOutput: (line) => {
            diff.push(line.replace(/\n$/, ""));
            log(line);
          },
        });
        return describeChanges(drift);
      },
    },
  ]);
  return { cancelled, refreshed: refreshed.changes, images: refreshed.images, drift, diff: diff.join("\n") };
}

/** A stack's outputs. */
export async function outputs(
  ctx: CliContext,
  layer: Layer,
  env: Environment,
): Promise<Record<string, StackOutput>> {
  await guardProd(ctx, env);
  return (await ctx.stacks(layer, env)).outputs();
}

/**
 * The secrets provider a new stack gets: bootstrap's KMS key in the CLI's region unless another is named.
 * `passphrase` is accepted only with `PULUMI_CONFIG_PASSPHRASE` set (every later use needs it too).
 */
export function stackSecretsProvider(ctx: CliContext, requested: string | undefined): string {
  const provider = requested ?? kmsSecretsProvider(awsRegion(ctx.env));
  if (provider === PASSPHRASE_SECRETS_PROVIDER) {
    if (!ctx.env.PULUMI_CONFIG_PASSPHRASE) {
      throw new UsageError(
        "--secrets-provider passphrase needs PULUMI_CONFIG_PASSPHRASE (and so will CI and the drift detector); " +
          "leave the option out to use the KMS key bootstrap created",
      );
    }
    return provider;
  }
  if (!/^(awskms|azurekeyvault|gcpkms|hashivault):\/\/\S+$/.test(provider)) {
    throw new UsageError(
      `unknown secrets provider "${provider}"; expected passphrase or a KMS URL like ${kmsSecretsProvider(awsRegion(ctx.env))}`,
    );
  }
  return provider;
}

/** Creates a layer's stack for an environment in the backend, with the KMS secrets provider by default. */
export async function stackInit(
  ctx: CliContext,
  layer: Layer,
  env: Environment,
  options: { secretsProvider?: string } = {},
): Promise<string> {
  const secretsProvider = stackSecretsProvider(ctx, options.secretsProvider);
  await guardProd(ctx, env);
  await (await ctx.stacks(layer, env)).init({ secretsProvider });
  return secretsProvider;
}
