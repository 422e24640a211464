/** `tradai libs ...`: libraries published to CodeArtifact (spec section 7). */
import type { Command } from "commander";
import { buildLibrary } from "../libs/build";
import { codeArtifactLogin, type PublishResult, publishLibrary } from "../libs/publish";
import { PUBLISHABLE_NAMES, parsePublishable } from "../libs/publishable";
import { type ContextSource, emit, env } from "./shared";

interface LocationOptions {
  domain?: string;
  domainOwner?: string;
  repository?: string;
}

function withLocation(command: Command): Command {
  return command
    .option(
      "--domain <domain>",
      "CodeArtifact domain (default: persistent output, else tradai-<env>-packages)",
    )
    .option("--domain-owner <account>", "account owning the domain (default: persistent output, else yours)")
    .option("--repository <name>", "npm repository (default: persistent output, else tradai)");
}

export function registerLibs(program: Command, context: ContextSource): void {
  const libs = program
    .command("libs")
    .description(`libraries for CodeArtifact (${PUBLISHABLE_NAMES.join(", ")})`);

  withLocation(libs.command("codeartifact-login"))
    .argument("<env>", "dev, staging or prod")
    .option("--npmrc <file>", "the .npmrc to write (default ~/.npmrc)")
    .option("--json", "print the registry and expiry as JSON")
    .description("write the @tradai registry and a 12 h token into .npmrc")
    .action(async (e: string, opts: LocationOptions & { npmrc?: string; json?: boolean }) => {
      const ctx = context();
      const result = await codeArtifactLogin(ctx, env(e), opts);
      emit(
        ctx,
        opts.json,
        result,
        () =>
          `@tradai registry ${result.registry} written to ${result.npmrc}\n` +
          `token expires at ${result.expiresAt}; rerun pnpm tradai libs codeartifact-login ${e} after that`,
      );
    });

  libs
    .command("build")
    .description("build every publishable library into dist/libs/<name>")
    .action(async () => {
      const ctx = context();
      await ctx.progress.run(
        PUBLISHABLE_NAMES.map((name) => ({
          title: `build ${name}`,
          run: async () => {
            const built = await buildLibrary(ctx, name);
            return `${built.version} in ${built.dir}`;
          },
        })),
      );
    });

  withLocation(libs.command("publish"))
    .argument("<package>", PUBLISHABLE_NAMES.join(", "))
    .argument("<env>", "dev, staging or prod")
    .option("--skip-existing", "succeed without publishing when the version exists")
    .description("build and publish one library's current version")
    .action(async (pkg: string, e: string, opts: LocationOptions & { skipExisting?: boolean }) => {
      const ctx = context();
      const result = await publishLibrary(ctx, parsePublishable(pkg), env(e), opts);
      ctx.io.out(`${result.name}@${result.version}: ${result.status}`);
    });

  withLocation(libs.command("publish-all"))
    .argument("<env>", "dev, staging or prod")
    .option("--json", "print the results as JSON")
    .description("publish every library, skipping versions the repository already has")
    .action(async (e: string, opts: LocationOptions & { json?: boolean }) => {
      const ctx = context();
      const environment = env(e);
      const results: PublishResult[] = [];
      for (const name of PUBLISHABLE_NAMES) {
        results.push(await publishLibrary(ctx, name, environment, { ...opts, skipExisting: true }));
      }
      emit(ctx, opts.json, results, () =>
        results.map((r) => `${r.name}@${r.version}: ${r.status}`).join("\n"),
      );
    });
}
