/**
 * Before a compute update builds images: Docker's default `docker` buildx driver cannot export a registry
 * build cache, and every image exports one to the ECR cache repository (`cacheTo`) unless the stack's
 * `tradai:imageRegistryCache` is false. Found here, before anything changes, with what to do; otherwise
 * docker-build fails halfway through the update ("cache export is not supported for the docker driver").
 *
 * No Pulumi program code: the program stays free of host probes, and the plan stays machine-independent.
 */
import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { parse as parseYaml } from "yaml";
import { CliError } from "../errors";
import type { Environment } from "../platform";
import { stackDir } from "../platform";
import type { StackRunner } from "./stack-runner";

/** The config key that turns the registry cache export off (components/src/config/compute.ts). */
export const REGISTRY_CACHE_KEY = "tradai:imageRegistryCache";

/** The active buildx builder: its name and driver, or null when Docker is not there to ask. */
export interface BuilderInfo {
  name: string;
  driver: string;
}

/** Reads `docker buildx inspect` output: the first `Name:` and `Driver:` lines. */
export function parseBuildxInspect(text: string): BuilderInfo | null {
  const name = /^Name:\s*(\S+)/m.exec(text)?.[1];
  const driver = /^Driver:\s*(\S+)/m.exec(text)?.[1];
  return name && driver ? { name, driver } : null;
}

/** Asks Docker which builder docker-build will use (the current one); null when that cannot be told. */
export type BuilderProbe = () => Promise<BuilderInfo | null>;

export const dockerBuilderProbe: BuilderProbe = () =>
  new Promise((resolve) => {
    execFile("docker", ["buildx", "inspect"], { timeout: 20_000 }, (error, stdout) => {
      // No Docker, or no buildx: docker-build reports that itself, with its own message.
      resolve(error ? null : parseBuildxInspect(stdout));
    });
  });

/** Whether the compute stack of `env` exports the registry cache (`tradai:imageRegistryCache`, default true). */
export function registryCacheEnabled(env: Environment, root?: string): boolean {
  const file = path.join(stackDir("compute", root), `Pulumi.${env}.yaml`);
  if (!fs.existsSync(file)) return true;
  const doc = (parseYaml(fs.readFileSync(file, "utf8")) ?? {}) as { config?: Record<string, unknown> };
  const value = doc.config?.[REGISTRY_CACHE_KEY];
  return !(value === false || value === "false");
}

/** The refusal, naming the builder and both ways out. */
export function dockerDriverError(builder: BuilderInfo, env: Environment): CliError {
  return new CliError(
    `the active buildx builder "${builder.name}" uses Docker's "docker" driver, which cannot export the ` +
      `registry build cache the compute images write (cacheTo); compute (${env}) was not touched`,
    "use a builder that can: docker buildx create --use --driver docker-container --name tradai\n" +
      `or stop exporting the cache for this stack (it is still read): pulumi config set --cwd stacks/compute --stack ${env} ${REGISTRY_CACHE_KEY} false\n` +
      "(turning it off changes every image's cacheTo input, so the next update rebuilds each image once)",
  );
}

/** `runner` with the builder checked before each compute `up` (the only operation that builds images). */
export function withBuilderCheck(
  runner: StackRunner,
  probe: BuilderProbe,
  cacheEnabled: (env: Environment) => boolean = registryCacheEnabled,
): StackRunner {
  if (runner.layer !== "compute") return runner;
  return {
    ...runner,
    async up(opts) {
      if (cacheEnabled(runner.env)) {
        const builder = await probe();
        if (builder?.driver === "docker") throw dockerDriverError(builder, runner.env);
      }
      return runner.up(opts);
    },
  };
}
