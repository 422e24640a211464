import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { dataResourceOptions, formerType } from "../core/options";

export interface PackageRepositoryArgs {
  /** CodeArtifact domain name. */
  domainName: string;
  /** Repository the team publishes to. @default "tradai" */
  repositoryName?: string;
  /** Add an `npm-store` upstream connected to the public npm registry. @default true */
  npmUpstream?: boolean;
  /** `protect` + retain on delete for the domain and repositories. @default false */
  protectData?: boolean;
}

/**
 * The CodeArtifact domain and the npm repository the libraries are published to (consumed by the
 * separate strategies repository), optionally fronting the public npm registry through `npm-store`.
 *
 * @example
 * new PackageRepository("packages", { domainName: ctx.name("packages") }, ctx.opts);
 */
export class PackageRepository extends pulumi.ComponentResource {
  readonly domain: aws.codeartifact.Domain;
  readonly repository: aws.codeartifact.Repository;

  constructor(name: string, args: PackageRepositoryArgs, opts?: pulumi.ComponentResourceOptions) {
    super(
      "tradai:persistent:PackageRepository",
      name,
      {},
      formerType("tradai:artifacts:PackageRepository", opts),
    );
    const keep = { parent: this, ...dataResourceOptions(args.protectData ?? false) };
    this.domain = new aws.codeartifact.Domain(name, { domain: args.domainName }, keep);
    const upstream =
      (args.npmUpstream ?? true)
        ? new aws.codeartifact.Repository(
            `${name}-npm-store`,
            {
              domain: this.domain.domain,
              repository: "npm-store",
              description: "Proxy of the public npm registry",
              externalConnections: { externalConnectionName: "public:npmjs" },
            },
            keep,
          )
        : undefined;
    this.repository = new aws.codeartifact.Repository(
      `${name}-npm`,
      {
        domain: this.domain.domain,
        repository: args.repositoryName ?? "tradai",
        description: "TradAI npm packages",
        upstreams: upstream ? [{ repositoryName: upstream.repository }] : [],
      },
      keep,
    );
    this.registerOutputs({ domain: this.domain.domain, repository: this.repository.repository });
  }
}
