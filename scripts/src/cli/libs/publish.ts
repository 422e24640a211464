/**
 * CodeArtifact for npm: `codeartifact-login` (scoped registry + token in `.npmrc`) and `publish`
 * (build, then `npm publish` with a throw-away userconfig so the token never lands in the repository).
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { guardProd } from "../aws/account";
import type { CliContext } from "../context";
import { CliError } from "../errors";
import type { Environment } from "../platform";
import { buildLibrary, readManifest } from "./build";
import {
  type CodeArtifactLocation,
  codeArtifactLocation,
  type LocationOverrides,
} from "./codeartifact-location";
import { authTokenKey, writeNpmrc } from "./npmrc";
import { type PublishablePackage, SCOPE, unscoped } from "./publishable";

/** CodeArtifact's longest token lifetime, 12 h (spec section 7). */
export const TOKEN_SECONDS = 12 * 60 * 60;

export interface LoginResult {
  npmrc: string;
  registry: string;
  expiresAt: string;
  location: CodeArtifactLocation;
}

/** Gets a token and writes `@tradai:registry` and its `_authToken` into the `.npmrc` file. */
export async function codeArtifactLogin(
  ctx: CliContext,
  env: Environment,
  options: LocationOverrides & { npmrc?: string } = {},
): Promise<LoginResult> {
  await guardProd(ctx, env);
  const location = await codeArtifactLocation(ctx, env, options);
  const api = ctx.codeArtifact();
  const registry = await api.npmEndpoint(location.domain, location.domainOwner, location.repository);
  const { token, expiresAt } = await api.authorizationToken(
    location.domain,
    location.domainOwner,
    TOKEN_SECONDS,
  );
  const npmrc = path.resolve(options.npmrc ?? path.join(os.homedir(), ".npmrc"));
  writeNpmrc(npmrc, { [`@${SCOPE}:registry`]: registry, [authTokenKey(registry)]: token });
  return { npmrc, registry, expiresAt: expiresAt.toISOString(), location };
}

export interface PublishResult {
  name: PublishablePackage;
  version: string;
  status: "published" | "skipped";
}

/**
 * Publishes a library's current version. With `skipExisting`, a version already in the repository is
 * skipped (re-runs of the release workflow); without it, that is an error asking for a version bump.
 */
export async function publishLibrary(
  ctx: CliContext,
  name: PublishablePackage,
  env: Environment,
  options: LocationOverrides & { skipExisting?: boolean } = {},
): Promise<PublishResult> {
  await guardProd(ctx, env);
  const { version } = readManifest(ctx.root, name);
  const location = await codeArtifactLocation(ctx, env, options);
  const api = ctx.codeArtifact();
  const existing = await api.npmVersions(
    location.domain,
    location.domainOwner,
    location.repository,
    SCOPE,
    unscoped(name),
  );
  if (existing.includes(version)) {
    if (options.skipExisting) return { name, version, status: "skipped" };
    throw new CliError(
      `${name}@${version} already exists in ${location.domain}/${location.repository}`,
      `bump "version" in its package.json, or use: pnpm tradai libs publish-all ${env} (skips existing versions)`,
    );
  }
  const built = await buildLibrary(ctx, name);
  const registry = await api.npmEndpoint(location.domain, location.domainOwner, location.repository);
  const { token } = await api.authorizationToken(location.domain, location.domainOwner, 15 * 60);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tradai-publish-"));
  const userconfig = path.join(dir, ".npmrc");
  try {
    writeNpmrc(userconfig, { [`@${SCOPE}:registry`]: registry, [authTokenKey(registry)]: token });
    const code = await ctx.exec(
      "npm",
      ["publish", built.dir, "--registry", registry, "--userconfig", userconfig],
      {
        cwd: built.dir,
      },
    );
    if (code !== 0) throw new CliError(`npm publish of ${name}@${version} failed (exit ${code})`);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
  return { name, version, status: "published" };
}
