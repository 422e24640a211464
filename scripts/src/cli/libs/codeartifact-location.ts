/**
 * Where an environment's npm packages live in CodeArtifact: the persistent stack's `codeartifact` output,
 * else the persistent layer's naming (`tradai-<env>-packages` domain, `tradai` repository), each
 * overridable on the command line.
 */
import type { CliContext } from "../context";
import { codeArtifactOutputs, readOutputs } from "../infra/layer-outputs";
import type { Environment } from "../platform";

export interface CodeArtifactLocation {
  domain: string;
  /** Account owning the domain; `undefined` = the caller's account. */
  domainOwner?: string;
  repository: string;
}

export interface LocationOverrides {
  domain?: string;
  domainOwner?: string;
  repository?: string;
}

export async function codeArtifactLocation(
  ctx: CliContext,
  env: Environment,
  overrides: LocationOverrides = {},
): Promise<CodeArtifactLocation> {
  const complete = overrides.domain && overrides.repository;
  const exported = complete
    ? undefined
    : (await readOutputs(ctx, "persistent", env, codeArtifactOutputs, "the CodeArtifact domain"))
        ?.codeartifact;
  const domainOwner = overrides.domainOwner ?? exported?.domainOwner;
  return {
    domain: overrides.domain ?? exported?.domain ?? `tradai-${env}-packages`,
    repository: overrides.repository ?? exported?.repository ?? "tradai",
    ...(domainOwner ? { domainOwner } : {}),
  };
}
