/** `tradai lambda|service`, `tradai images` and `tradai ecr`: images of the compute stack. */
import type { Command } from "commander";
import { checkImages, type ImageCheck, type ImageKind } from "../aws/ecr";
import { ecrLogin } from "../aws/ecr-login";
import type { CliContext } from "../context";
import { CliError } from "../errors";
import { lambdaNames, serviceNames, updateImages } from "../infra/image-targets";
import { table } from "../io";
import { discoverLambdas } from "../platform";
import { type ContextSource, emit, env } from "./shared";

async function reportImages(
  ctx: CliContext,
  e: string,
  kinds: ImageKind[],
  json: boolean | undefined,
): Promise<void> {
  const environment = env(e);
  const checks = await checkImages(ctx, environment, kinds);
  emit(ctx, json, checks, () =>
    table([
      ["kind", "name", "repository", "expected", "status"],
      ...checks.map((c: ImageCheck) => [
        c.kind,
        c.name,
        c.repository,
        c.digest ?? c.tag ?? "any image",
        c.status,
      ]),
    ]),
  );
  const bad = checks.filter((c) => c.status !== "present");
  if (bad.length) {
    throw new CliError(
      `${bad.length} of ${checks.length} images are not in ECR: ${bad.map((c) => c.name).join(", ")}`,
      `build and push them with: pnpm tradai infra up compute ${environment}`,
    );
  }
}

export function registerImages(program: Command, context: ContextSource): void {
  const lambda = program.command("lambda").description("Lambda functions and their images");
  lambda
    .command("list")
    .option("--json", "print a JSON array")
    .description("the Lambda functions (every lambdas/<dir> with a Dockerfile, except base and common)")
    .action((opts: { json?: boolean }) => {
      const ctx = context();
      const names = discoverLambdas(ctx.root);
      emit(ctx, opts.json, names, () => names.join("\n"));
    });
  for (const mode of ["build", "push"] as const) {
    lambda
      .command(mode)
      .argument("[name]", "a Lambda, or base; all (base first) when omitted")
      .option("--env <env>", "the compute stack to update", "dev")
      .description(
        mode === "build"
          ? "rebuild the image(s) in the compute stack (pushed to ECR by the build); functions unchanged"
          : "rebuild the image(s) and roll the functions onto the new digests (targeted up with dependents)",
      )
      .action(async (name: string | undefined, opts: { env: string }) => {
        const ctx = context();
        await updateImages(ctx, env(opts.env), "lambda", lambdaNames(ctx.root, name), mode);
      });
  }
  lambda
    .command("check-images")
    .argument("<env>", "dev, staging or prod")
    .option("--json", "print the checks as JSON")
    .description("verify ECR holds the base and every Lambda image the compute stack deploys")
    .action((e: string, opts: { json?: boolean }) =>
      reportImages(context(), e, ["base", "lambda"], opts.json),
    );

  const service = program.command("service").description("service container images");
  for (const mode of ["build", "push"] as const) {
    service
      .command(mode)
      .argument("[name]", "backend, data-collection, strategy-service or mlflow; all when omitted")
      .option("--env <env>", "the compute stack to update", "dev")
      .description(
        mode === "build"
          ? "rebuild the service image(s) in the compute stack (pushed to ECR by the build)"
          : "rebuild the image(s) and roll their task definitions and ECS services (targeted up with dependents)",
      )
      .action(async (name: string | undefined, opts: { env: string }) => {
        await updateImages(context(), env(opts.env), "service", serviceNames(name), mode);
      });
  }
  service
    .command("check-images")
    .argument("<env>", "dev, staging or prod")
    .option("--json", "print the checks as JSON")
    .description("verify ECR holds every service image the compute stack deploys")
    .action((e: string, opts: { json?: boolean }) => reportImages(context(), e, ["service"], opts.json));

  program
    .command("images")
    .description("all images")
    .command("check")
    .argument("<env>", "dev, staging or prod")
    .option("--json", "print the checks as JSON")
    .description("pre-flight: ECR holds every image (and digest) the compute stack deploys")
    .action((e: string, opts: { json?: boolean }) =>
      reportImages(context(), e, ["base", "lambda", "service"], opts.json),
    );

  program
    .command("ecr")
    .description("the ECR registry")
    .command("login")
    .argument("<env>", "dev, staging or prod")
    .description("log Docker in to the environment's ECR registry (12 h)")
    .action(async (e: string) => {
      const ctx = context();
      const credentials = await ecrLogin(ctx, env(e));
      ctx.io.err(
        `docker is logged in to ${credentials.registry}${credentials.expiresAt ? ` until ${credentials.expiresAt}` : ""}`,
      );
    });
}
