import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import type { PersistentOutputs } from "@tradai/contracts";
import { SERVICE_IMAGES, type ServiceImage } from "@tradai/contracts";
import {
  type BundleSpec,
  ensureBundles,
  ensureStaged,
  lambdaBundleSpec,
  mlflowStagedFiles,
  serviceBundleSpec,
} from "../core/lambda-bundle";
import { formerType } from "../core/options";
import { REPO_ROOT } from "../core/platform";
import { ContainerImage } from "./container-image";

export interface PlatformImagesArgs {
  /** The persistent layer's ECR repositories. */
  ecr: pulumi.Output<PersistentOutputs["ecr"]>;
  /** Lambdas to build (from discovery). */
  lambdas: string[];
  /**
   * Directory of the Pulumi program: docker-build resolves contexts against it, so every context and
   * Dockerfile is given relative to it and two checkouts at different paths give identical inputs.
   */
  programDir: string;
  /** Export the build cache to the registry (off for Docker's default driver). @default true */
  registryCache?: boolean;
  /** @default false */
  buildOnPreview?: boolean;
  /** Repository root holding `lambdas/` and `services/`. @default the checkout */
  root?: string;
}

/**
 * Services whose image copies an esbuild bundle that the program builds from source (their context is
 * their folder, reduced by its .dockerignore to `dist/`). MLflow is Python: the program stages its
 * entrypoint into `dist/` the same way (fixed file modes).
 */
export const BUNDLED_SERVICES = [
  "backend",
  "data-collection",
  "strategy-service",
] as const satisfies readonly ServiceImage[];

/** Where an image's code comes from: a bundle the program builds first, or the folder as it is. */
export function serviceBundled(svc: ServiceImage): boolean {
  return (BUNDLED_SERVICES as readonly string[]).includes(svc);
}

/** The bundles the images copy: every Lambda's, and each bundled service's. */
export function imageBundleSpecs(lambdas: readonly string[], root: string = REPO_ROOT): BundleSpec[] {
  return [
    ...lambdas.map((fn) => lambdaBundleSpec(fn, root)),
    ...BUNDLED_SERVICES.map((svc) => serviceBundleSpec(svc, root)),
  ];
}

/**
 * Every image of the platform, built and pushed during `pulumi up`: the Lambda base image, one image per
 * Lambda built FROM it through the named context `base` (its context is only its own folder, so a
 * change in one function rebuilds one image), and the four service images.
 *
 * Before declaring them it bundles every Lambda and Node service from source (esbuild, deterministic,
 * content-cached: `core/lambda-bundle.ts`), so `pulumi up` on a fresh clone ships exactly the checkout
 * and needs no build step first; a source that does not build stops the program before anything changes.
 *
 * @example
 * new PlatformImages("images", { ecr: persistent.ecr, lambdas: discoverLambdas(), programDir: __dirname }, ctx.opts);
 */
export class PlatformImages extends pulumi.ComponentResource {
  readonly base: ContainerImage;
  readonly lambdas: Record<string, ContainerImage>;
  readonly services: Record<ServiceImage, ContainerImage>;

  constructor(name: string, args: PlatformImagesArgs, opts?: pulumi.ComponentResourceOptions) {
    super("tradai:compute:PlatformImages", name, {}, formerType("tradai:images:PlatformImages", opts));
    const root = args.root ?? REPO_ROOT;
    ensureBundles(imageBundleSpecs(args.lambdas, root));
    ensureStaged(mlflowStagedFiles(root));
    // Relative to the program, with forward slashes whatever the OS.
    const rel = (...parts: string[]) =>
      path
        .relative(args.programDir, path.join(root, ...parts))
        .split(path.sep)
        .join("/") || ".";
    const cache = args.ecr.buildCache.url;
    const common = {
      cacheRepositoryUrl: cache,
      buildOnPreview: args.buildOnPreview ?? false,
      registryCache: args.registryCache ?? true,
    };

    this.base = new ContainerImage(
      `${name}-lambda-base`,
      {
        ...common,
        repositoryUrl: args.ecr.lambdaBase.url,
        context: rel("lambdas", "base"),
        dockerfile: rel("lambdas", "base", "Dockerfile"),
        cacheTag: "lambda-base",
      },
      { parent: this },
    );
    this.lambdas = Object.fromEntries(
      args.lambdas.map((fn) => [
        fn,
        new ContainerImage(
          `${name}-lambda-${fn}`,
          {
            ...common,
            repositoryUrl: args.ecr.lambdas.apply((repos) => {
              const repo = repos[fn];
              if (!repo)
                throw new Error(
                  `the persistent layer has no ECR repository for Lambda ${fn}; run persistent first`,
                );
              return repo.url;
            }),
            context: rel("lambdas", fn),
            dockerfile: rel("lambdas", fn, "Dockerfile"),
            namedContexts: { base: pulumi.interpolate`docker-image://${this.base.ref}` },
            cacheTag: `lambda-${fn}`,
          },
          { parent: this },
        ),
      ]),
    );
    this.services = Object.fromEntries(
      SERVICE_IMAGES.map((svc) => [
        svc,
        new ContainerImage(
          `${name}-${svc}`,
          {
            ...common,
            repositoryUrl: args.ecr.services.apply((repos) => repos[svc].url),
            context: rel("services", svc),
            dockerfile: rel("services", svc, "Dockerfile"),
            cacheTag: svc,
          },
          { parent: this },
        ),
      ]),
    ) as Record<ServiceImage, ContainerImage>;
    this.registerOutputs({ base: this.base.ref });
  }
}
