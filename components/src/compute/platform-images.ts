import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import type { PersistentOutputs } from "../contracts/schemas";
import { REPO_ROOT, SERVICE_IMAGES, type ServiceImage } from "../core/platform";
import { ContainerImage } from "./container-image";

export interface PlatformImagesArgs {
  /** The persistent layer's ECR repositories. */
  ecr: pulumi.Output<PersistentOutputs["ecr"]>;
  /** Lambdas to build (from discovery). */
  lambdas: string[];
  /** Tag pushed with every image; services also move `latest`. */
  releaseTag: string;
  /** @default false */
  buildOnPreview?: boolean;
  /** Repository root holding `lambdas/` and `services/`. @default the checkout */
  root?: string;
}

/**
 * Build context of each service image. The Node services bundle workspace packages, so their context is
 * the repository root (reduced by `services/<name>/Dockerfile.dockerignore`); MLflow needs only its folder.
 */
export const SERVICE_BUILD_CONTEXT: Record<ServiceImage, "repository" | "service"> = {
  backend: "repository",
  "data-collection": "repository",
  "strategy-service": "repository",
  mlflow: "service",
};

/**
 * Every image of the platform, built and pushed during `pulumi up`: the Lambda base image, one image per
 * Lambda built FROM it through the named context `base` (its context is only its own folder, so a
 * change in one function rebuilds one image), and the four service images.
 *
 * @example
 * new PlatformImages("images", { ecr: persistent.ecr, lambdas: discoverLambdas(), releaseTag: "v1.4.0" }, ctx.opts);
 */
export class PlatformImages extends pulumi.ComponentResource {
  readonly base: ContainerImage;
  readonly lambdas: Record<string, ContainerImage>;
  readonly services: Record<ServiceImage, ContainerImage>;

  constructor(name: string, args: PlatformImagesArgs, opts?: pulumi.ComponentResourceOptions) {
    super("tradai:images:PlatformImages", name, {}, opts);
    const root = args.root ?? REPO_ROOT;
    const cache = args.ecr.buildCache.url;
    const common = { cacheRepositoryUrl: cache, buildOnPreview: args.buildOnPreview ?? false };

    this.base = new ContainerImage(
      `${name}-lambda-base`,
      {
        ...common,
        repositoryUrl: args.ecr.lambdaBase.url,
        context: path.join(root, "lambdas", "base"),
        tags: [args.releaseTag],
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
            context: path.join(root, "lambdas", fn),
            namedContexts: { base: pulumi.interpolate`docker-image://${this.base.ref}` },
            tags: [args.releaseTag],
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
            context: SERVICE_BUILD_CONTEXT[svc] === "repository" ? root : path.join(root, "services", svc),
            dockerfile: path.join(root, "services", svc, "Dockerfile"),
            tags: [...new Set([args.releaseTag, "latest"])],
            cacheTag: svc,
          },
          { parent: this },
        ),
      ]),
    ) as Record<ServiceImage, ContainerImage>;
    this.registerOutputs({ base: this.base.ref });
  }
}
