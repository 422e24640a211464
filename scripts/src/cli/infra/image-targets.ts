/**
 * `lambda build|push` and `service build|push`: targeted updates of the compute stack. Images are
 * `docker-build:index:Image` resources in the compute program, so building an image is an update of that
 * resource, and pushing it to the function or service is an update with `targetDependents`.
 *
 * URNs are read from the stack's state, matched by resource name. The compute program's `PlatformImages`
 * names them `images-lambda-base`, `images-lambda-<lambda>` and `images-<service image>` (each a
 * `ContainerImage` component with an Image child of the same name); the names `tradai-lambda-<name>` and
 * `tradai-service-<image>` are accepted too.
 */
import { IMAGE_TYPE } from "@tradai/aws-clients/image-state";
import { guardProd } from "../aws/account";
import type { CliContext } from "../context";
import { CliError, UsageError } from "../errors";
import { discoverLambdas, type Environment, parseServiceImage, SERVICE_IMAGES } from "../platform";
import { describeChanges } from "../progress";
import type { StateResource } from "./stack-runner";

export type ImageFamily = "lambda" | "service";

/** Resource name of a URN (the part after the last `::`). */
export function urnName(urn: string): string {
  return urn.slice(urn.lastIndexOf("::") + 2);
}

/** Resource names an image of a Lambda (or `base`) or a service image may carry. */
export function imageResourceNames(family: ImageFamily, name: string): string[] {
  return family === "lambda"
    ? [`images-lambda-${name}`, `tradai-lambda-${name}`]
    : [`images-${name}`, `tradai-service-${name}`];
}

/**
 * URNs of the image resources of the named Lambdas/services in a stack's state: Images named by
 * {@link imageResourceNames}, or inside a component so named.
 */
export function imageTargets(
  resources: readonly StateResource[],
  family: ImageFamily,
  names: readonly string[],
): {
  targets: string[];
  missing: string[];
} {
  const byUrn = new Map(resources.map((r) => [r.urn, r]));
  const ancestors = (r: StateResource): string[] => {
    const chain: string[] = [];
    let parent = r.parent ? byUrn.get(r.parent) : undefined;
    while (parent && chain.length < 64) {
      chain.push(urnName(parent.urn));
      parent = parent.parent ? byUrn.get(parent.parent) : undefined;
    }
    return chain;
  };
  const targets: string[] = [];
  const missing: string[] = [];
  for (const name of names) {
    const accepted = imageResourceNames(family, name);
    const found = resources.filter(
      (r) =>
        r.type === IMAGE_TYPE &&
        (accepted.includes(urnName(r.urn)) || ancestors(r).some((a) => accepted.includes(a))),
    );
    if (found.length === 0) missing.push(name);
    for (const r of found) if (!targets.includes(r.urn)) targets.push(r.urn);
  }
  return { targets, missing };
}

/** Lambda names a command acts on: the one given (or `base`), else base + every discovered Lambda. */
export function lambdaNames(root: string, name: string | undefined): string[] {
  const all = discoverLambdas(root);
  if (name === undefined) return ["base", ...all];
  if (name === "base" || all.includes(name)) return [name];
  throw new UsageError(`unknown lambda "${name}"; valid lambdas: base, ${all.join(", ")}`);
}

/** Service images a command acts on. */
export function serviceNames(name: string | undefined): string[] {
  return name === undefined ? [...SERVICE_IMAGES] : [parseServiceImage(name)];
}

/**
 * Targeted `up` of the compute stack on the images (`build`), or on the images and everything that
 * depends on them (`push`: the Lambda functions / ECS task definitions and services roll to the new digest).
 */
export async function updateImages(
  ctx: CliContext,
  env: Environment,
  family: ImageFamily,
  names: readonly string[],
  mode: "build" | "push",
): Promise<string[]> {
  await guardProd(ctx, env);
  const stack = await ctx.stacks("compute", env);
  const { targets, missing } = imageTargets(await stack.resources(), family, names);
  if (missing.length) {
    throw new CliError(
      `the compute stack of ${env} has no image resource for ${family} ${missing.join(", ")} ` +
        `(expected an image named ${imageResourceNames(family, missing[0] ?? "<name>").join(" or ")})`,
      `a stack that was never deployed has nothing to target: run pnpm tradai infra up compute ${env}`,
    );
  }
  await ctx.progress.run([
    {
      title: `${mode} ${family} ${names.length === 1 ? names[0] : `images (${names.length})`} (${env})`,
      run: async (log) =>
        describeChanges(
          await stack.up({ target: targets, targetDependents: mode === "push", onOutput: log }),
        ),
    },
  ]);
  return targets;
}
