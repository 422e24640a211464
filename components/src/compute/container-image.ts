import * as aws from "@pulumi/aws";
import * as dockerBuild from "@pulumi/docker-build";
import * as pulumi from "@pulumi/pulumi";

export interface ContainerImageArgs {
  /** ECR repository URL the image is pushed to (`<registry>/<name>`). */
  repositoryUrl: pulumi.Input<string>;
  /** Build context directory (absolute). */
  context: string;
  /** Dockerfile path (absolute). @default `<context>/Dockerfile` */
  dockerfile?: string;
  /** Named build contexts, e.g. `{ base: "docker-image://<repo>@<digest>" }`. @default {} */
  namedContexts?: Record<string, pulumi.Input<string>>;
  /** Tags to push (repository-relative, e.g. `["v1.2.0", "latest"]`). */
  tags: string[];
  /** Repository URL of the registry build cache (ECR); the cache ref is `<url>:<cacheTag>`. */
  cacheRepositoryUrl: pulumi.Input<string>;
  /** Tag in the cache repository, one per image. */
  cacheTag: string;
  /** Target platform. One platform only: Lambda rejects image indexes. @default "linux/amd64" */
  platform?: dockerBuild.Platform;
  /** Build during `pulumi preview`. @default false */
  buildOnPreview?: boolean;
  /** Build arguments. @default {} */
  buildArgs?: Record<string, pulumi.Input<string>>;
}

/**
 * One image built and pushed by `@pulumi/docker-build` inside the graph, so whatever runs it depends on
 * it. Consumers use {@link ref}, `repo@sha256:...`: a deployment never floats with a tag.
 *
 * - ECR credentials come from `aws.ecr.getAuthorizationTokenOutput` (no `docker login` on the runner).
 * - Layers are cached in the ECR cache repository (`imageManifest` + OCI media types, which ECR needs).
 * - A single platform and no attestations keep the pushed artifact a plain manifest.
 *
 * @example
 * new ContainerImage("lambda-base", { repositoryUrl, context: "lambdas/base", tags: ["v1"], cacheRepositoryUrl, cacheTag: "lambda-base" }, { parent: this });
 */
export class ContainerImage extends pulumi.ComponentResource {
  readonly image: dockerBuild.Image;
  /** `repo@sha256:...` */
  readonly ref: pulumi.Output<string>;
  readonly digest: pulumi.Output<string>;

  constructor(name: string, args: ContainerImageArgs, opts?: pulumi.ComponentResourceOptions) {
    super("tradai:images:ContainerImage", name, {}, opts);
    const repositoryUrl = pulumi.output(args.repositoryUrl);
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
        buildArgs: args.buildArgs,
        push: true,
        tags: args.tags.map((tag) => pulumi.interpolate`${repositoryUrl}:${tag}`),
        registries: [{ address: registry, username: auth.userName, password: auth.password }],
        cacheFrom: [{ registry: { ref: cacheRef } }],
        cacheTo: [{ registry: { ref: cacheRef, imageManifest: true, ociMediaTypes: true, mode: "max" } }],
        buildOnPreview: args.buildOnPreview ?? false,
      },
      { parent: this },
    );
    this.digest = this.image.digest;
    this.ref = pulumi.interpolate`${repositoryUrl}@${this.image.digest}`;
    this.registerOutputs({ ref: this.ref, digest: this.digest });
  }
}
