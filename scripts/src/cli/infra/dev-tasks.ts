/**
 * Local development tasks of the infrastructure code (spec 5.2 `infra-setup`, `infra-test`, `infra-lint`,
 * `infra-typecheck`, `infra-check`), run over the Pulumi code: the layer programs, the component library
 * and the policy pack.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import type { CliContext } from "../context";
import { CliError } from "../errors";
import { LAYERS } from "../platform";

/** The folders holding infrastructure code. */
export const INFRA_DIRS = ["components", "policies", "stacks/bootstrap", ...LAYERS.map((l) => `stacks/${l}`)];

async function run(ctx: CliContext, title: string, args: string[]): Promise<void> {
  ctx.io.err(`-> ${title}: pnpm ${args.join(" ")}`);
  const code = await ctx.exec("pnpm", args, { cwd: ctx.root });
  if (code !== 0) throw new CliError(`${title} failed (exit ${code})`);
}

function existing(ctx: CliContext): string[] {
  return INFRA_DIRS.filter((d) => fs.existsSync(path.join(ctx.root, d)));
}

export const infraTest = (ctx: CliContext) => run(ctx, "tests", ["exec", "jest", ...existing(ctx)]);
export const infraLint = (ctx: CliContext) => run(ctx, "lint", ["exec", "biome", "check", ...existing(ctx)]);

export async function infraTypecheck(ctx: CliContext): Promise<void> {
  for (const dir of existing(ctx).filter((d) => fs.existsSync(path.join(ctx.root, d, "tsconfig.json")))) {
    await run(ctx, `typecheck ${dir}`, ["exec", "tsc", "-p", dir]);
  }
}

export async function infraCheck(ctx: CliContext): Promise<void> {
  await infraLint(ctx);
  await infraTypecheck(ctx);
  await infraTest(ctx);
}

/** The `.env` the CLI loads (spec section 9); created with empty values for the operator to fill. */
export const DOTENV_TEMPLATE = `# Loaded by \`pnpm tradai\` (variables already set in the shell win). Never commit this file.
AWS_PROFILE=tradai
AWS_REGION=eu-central-1
PULUMI_CONFIG_PASSPHRASE=
S3_PULUMI_BACKEND_URL=
`;

/**
 * First-time setup: installs the workspace, creates `.env` if missing, checks the tools deployments need
 * (pulumi, docker) and logs in to the state backend when one is configured.
 */
export async function infraSetup(ctx: CliContext): Promise<void> {
  await run(ctx, "install workspace", ["install", "--frozen-lockfile"]);
  const dotenv = path.join(ctx.root, ".env");
  if (!fs.existsSync(dotenv)) {
    fs.writeFileSync(dotenv, DOTENV_TEMPLATE, { mode: 0o600 });
    ctx.io.err(`created ${dotenv}: fill in PULUMI_CONFIG_PASSPHRASE and S3_PULUMI_BACKEND_URL`);
  }
  const missing: string[] = [];
  for (const [tool, args, hint] of [
    ["pulumi", ["version"], "https://www.pulumi.com/docs/install/"],
    ["docker", ["version", "--format", "{{.Server.Version}}"], "install Docker and start the daemon"],
  ] as const) {
    if ((await ctx.exec(tool, [...args])) !== 0) missing.push(`${tool} (${hint})`);
  }
  const backend = ctx.env.S3_PULUMI_BACKEND_URL ?? ctx.env.PULUMI_BACKEND_URL;
  if (backend && !missing.some((m) => m.startsWith("pulumi"))) {
    if ((await ctx.exec("pulumi", ["login", backend])) !== 0) missing.push(`pulumi login ${backend}`);
  } else if (!backend) {
    ctx.io.err("note: S3_PULUMI_BACKEND_URL is not set; set it in .env, then rerun: pnpm tradai infra setup");
  }
  if (missing.length) throw new CliError(`setup incomplete: ${missing.join("; ")}`);
}
