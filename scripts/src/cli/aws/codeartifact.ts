/**
 * The three CodeArtifact calls the `libs` commands make, behind an interface (the local emulator has no
 * CodeArtifact, so tests inject a recording fake; this module adapts the SDK client).
 */
import { awsRegion } from "./region";

export interface AuthorizationToken {
  token: string;
  expiresAt: Date;
}

export interface CodeArtifactApi {
  /** A token for the domain, valid `durationSeconds` (CodeArtifact's maximum is 12 h). */
  authorizationToken(
    domain: string,
    domainOwner: string | undefined,
    durationSeconds: number,
  ): Promise<AuthorizationToken>;
  /** The npm endpoint URL of a repository (ends with `/`). */
  npmEndpoint(domain: string, domainOwner: string | undefined, repository: string): Promise<string>;
  /** Versions of an npm package in the repository; empty when the package does not exist yet. */
  npmVersions(
    domain: string,
    domainOwner: string | undefined,
    repository: string,
    scope: string,
    name: string,
  ): Promise<string[]>;
}

/** The SDK implementation (loaded on first call). */
export function sdkCodeArtifact(env: NodeJS.ProcessEnv = process.env): CodeArtifactApi {
  const client = async () => {
    const sdk = await import("@aws-sdk/client-codeartifact");
    return { sdk, client: new sdk.CodeartifactClient({ region: awsRegion(env) }) };
  };
  return {
    async authorizationToken(domain, domainOwner, durationSeconds) {
      const { sdk, client: c } = await client();
      const result = await c.send(
        new sdk.GetAuthorizationTokenCommand({ domain, domainOwner, durationSeconds }),
      );
      if (!result.authorizationToken) throw new Error(`CodeArtifact returned no token for domain ${domain}`);
      return {
        token: result.authorizationToken,
        expiresAt: result.expiration ?? new Date(Date.now() + durationSeconds * 1000),
      };
    },
    async npmEndpoint(domain, domainOwner, repository) {
      const { sdk, client: c } = await client();
      const result = await c.send(
        new sdk.GetRepositoryEndpointCommand({ domain, domainOwner, repository, format: "npm" }),
      );
      if (!result.repositoryEndpoint)
        throw new Error(`CodeArtifact returned no npm endpoint for ${repository}`);
      return result.repositoryEndpoint;
    },
    async npmVersions(domain, domainOwner, repository, scope, name) {
      const { sdk, client: c } = await client();
      const versions: string[] = [];
      let nextToken: string | undefined;
      try {
        do {
          const page = await c.send(
            new sdk.ListPackageVersionsCommand({
              domain,
              domainOwner,
              repository,
              format: "npm",
              namespace: scope,
              package: name,
              nextToken,
            }),
          );
          for (const v of page.versions ?? []) if (v.version) versions.push(v.version);
          nextToken = page.nextToken;
        } while (nextToken);
      } catch (error) {
        if (error instanceof sdk.ResourceNotFoundException) return [];
        throw error;
      }
      return versions;
    },
  };
}
