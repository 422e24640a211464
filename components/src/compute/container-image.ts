import * as aws from "@pulumi/aws";
import * as dockerBuild from "@pulumi/docker-build";
import * as pulumi from "@pulumi/pulumi";
import { formerType } from "../core/options";

/**
 * The one tag every build pushes. Constant on purpose: docker-build rebuilds on any change of `tags`, so
 * a release tag among them would rebuild every image at every release. Releases are tags added to the
 * pushed digest afterwards ({@link ImageRelease}), never build inputs.
 */
export const BUILD_TAG = "latest";

/**
 * `SOURCE_DATE_EPOCH` of every build: BuildKit stamps the image config and history with it, and the
 * export's `rewrite-timestamp` clamps file times in the new layers to it. A constant (not the commit time)
 * so that unchanged content gives the same digest, and a forced rebuild updates no function.
 */
export const SOURCE_DATE_EPOCH = "0";

/**
 * The export of every image: a registry push of one manifest, file timestamps rewritten to
 * SOURCE_DATE_EPOCH (BuildKit >= 0.13). docker-build 0.0.22 has no typed field for `rewrite-timestamp`,
 * so the export is given raw (its parser turns `type=registry` into an image export with push=true).
 */
export const IMAGE_EXPORT = "type=registry,rewrite-timestamp=true";

export interface ContainerImageArgs {
  /** ECR repository URL the image is pushed to (`<registry>/<name>`). */
  repositoryUrl: pulumi.Input<string>;
  /**
   * Build context directory, RELATIVE to the Pulumi program's directory (where docker-build resolves it).
   * An absolute path would differ between checkouts, and docker-build rebuilds on any change of it.
   */
  context: string;
  /** Dockerfile path, relative like {@link context}. @default `<context>/Dockerfile` */
  dockerfile?: string;
  /** Named build contexts, e.g. `{ base: "docker-image://<repo>@<digest>" }`. @default {} */
  namedContexts?: Record<string, pulumi.Input<string>>;
  /** Repository URL of the registry build cache (ECR); the cache ref is `<url>:<cacheTag>`. */
  cacheRepositoryUrl: pulumi.Input<string>;
  /** Tag in the cache repository, one per image. */
  cacheTag: string;
  /**
   * Export the build cache to the registry (`cacheTo`). Docker's default `docker` driver cannot; turn it
   * off for a local run on that driver (the cache is still read). @default true
   */
  registryCache?: boolean;
  /** Target platform. One platform only: Lambda rejects image indexes. @default "linux/amd64" */
  platform?: dockerBuild.Platform;
  /** Build during `pulumi preview`. @default false */
  buildOnPreview?: boolean;
  /** Build arguments, besides SOURCE_DATE_EPOCH which every build gets. @default {} */
  buildArgs?: Record<string, pulumi.Input<string>>;
}

/**
 * One image built and pushed by `@pulumi/docker-build` inside the graph, so whatever runs it depends on
 * it. Consumers use {@link ref}, `repo@sha256:...`: a deployment never floats with a tag.
 *
 * - ECR credentials come from `aws.ecr.getAuthorizationTokenOutput` (no `docker login` on the runner).
 * - Layers are cached in the ECR cache repository (`imageManifest` + OCI media types, which ECR needs).
 * - One manifest, never an index (Lambda refuses indexes): a single platform, and `exec: false`, the
 *   provider's embedded buildx client, which pins `provenance` off in every build it runs (provider
 *   source, internal/client.go: `Attests: {"provenance": nil}`); `exec: true` would run the host's
 *   docker-buildx binary, whose default adds a provenance attestation.
 * - Reproducible: SOURCE_DATE_EPOCH + rewrite-timestamp, and every input is independent of the checkout
 *   path and of the release.
 *
 * @example
 * new ContainerImage("lambda-base", { repositoryUrl, context: "../../lambdas/base", cacheRepositoryUrl, cacheTag: "lambda-base" }, { parent: this });
 */
export class ContainerImage extends pulumi.ComponentResource {
  readonly image: dockerBuild.Image;
  /** `repo@sha256:...` */
  readonly ref: pulumi.Output<string>;
  readonly digest: pulumi.Output<string>;
  readonly repositoryUrl: pulumi.Output<string>;

  constructor(name: string, args: ContainerImageArgs, opts?: pulumi.ComponentResourceOptions) {
    super("tradai:compute:ContainerImage", name, {}, formerType("tradai:images:ContainerImage", opts));
    for (const [key, value] of [
      ["context", args.context],
      ["dockerfile", args.dockerfile],
    ] as const) {
      if (value !== undefined && (value.startsWith("/") || /^[A-Za-z]:[\\/]/.test(value))) {
        throw new Error(
          `ContainerImage ${name}: ${key} "${value}" is absolute; give it relative to the program's directory`,
        );
      }
    }
    const repositoryUrl = pulumi.output(args.repositoryUrl);
    this.repositoryUrl = repositoryUrl;
    const registry = repositoryUrl.apply((url) => url.split("/")[0] ?? url);
    const auth = aws.ecr.getAuthorizationTokenOutput({}, { parent: this });
    const cacheRef = pulumi.interpolate`${args.cacheRepositoryUrl}:${args.cacheTag}`;
    const named = Object.fromEntries(
      Object.entries(args.namedContexts ?? {}).map(([key, location]) => [key, { location }]),
    );

    this.image = new dockerBuild.Image(
      name,
      {
        context: { location: args.context, ...(Object.keys(named).length ? { named } : {}) },
        dockerfile: { location: args.dockerfile ?? `${args.context}/Dockerfile` },
        platforms: [args.platform ?? "linux/amd64"],
        buildArgs: { ...args.buildArgs, SOURCE_DATE_EPOCH },
        exec: false,
        push: false,
        exports: [{ raw: IMAGE_EXPORT }],
        tags: [pulumi.interpolate`${repositoryUrl}:${BUILD_TAG}`],
        registries: [{ address: registry, username: auth.userName, password: auth.password }],
        cacheFrom: [{ registry: { ref: cacheRef } }],
        ...((args.registryCache ?? true)
          ? {
              cacheTo: [
                { registry: { ref: cacheRef, imageManifest: true, ociMediaTypes: true, mode: "max" } },
              ],
            }
          : {}),
        buildOnPreview: args.buildOnPreview ?? false,
      },
      { parent: this },
    );
    this.digest = this.image.digest;
    this.ref = pulumi.interpolate`${repositoryUrl}@${this.image.digest}`;
    this.registerOutputs({ ref: this.ref, digest: this.digest });
  }
}
