/** `tradai infra ...`: the Pulumi stacks (spec section 5.2). */
import type { Command } from "commander";
import { checkAccount, guardProd } from "../aws/account";
import { CliError, UsageError } from "../errors";
import { infraCheck, infraLint, infraSetup, infraTest, infraTypecheck } from "../infra/dev-tasks";
import {
  bootstrap,
  DOWN_MODES,
  type DownMode,
  down,
  missingImagesError,
  outputs,
  previewLayers,
  recover,
  refresh,
  stackInit,
  upLayers,
} from "../infra/orchestrate";
import { plainOutputs } from "../infra/stack-runner";
import { printJson, table } from "../io";
import { LAYERS, parseLayer } from "../platform";
import { describeChanges } from "../progress";
import { type ContextSource, emit, env } from "./shared";

function parseDownMode(value: string): DownMode {
  if ((DOWN_MODES as string[]).includes(value)) return value as DownMode;
  throw new UsageError(`unknown teardown mode "${value}"; valid modes: ${DOWN_MODES.join(", ")}`);
}

export function registerInfra(program: Command, context: ContextSource): void {
  const infra = program.command("infra").description("Pulumi stacks: deploy, preview, tear down, recover");

  infra
    .command("setup")
    .description("install the workspace, create .env, check pulumi/docker, log in to the state backend")
    .action(() => infraSetup(context()));

  infra
    .command("bootstrap")
    .argument("<env>", "dev, staging or prod")
    .description("deploy every layer in order: persistent, foundation, compute (builds images), edge")
    .action((e: string) => bootstrap(context(), env(e)));

  infra
    .command("up")
    .argument("<layer>", LAYERS.join(", "))
    .argument("<env>", "dev, staging or prod")
    .description("deploy one layer (pulumi up with the policy pack)")
    .action((layer: string, e: string) => upLayers(context(), [parseLayer(layer)], env(e)));

  infra
    .command("preview")
    .usage("[layer] <env>")
    .argument("<layerOrEnv>", "layer, or the environment to preview all layers of")
    .argument("[env]", "dev, staging or prod")
    .option("--json", "print the change counts as JSON")
    .description("preview one layer, or all four in order")
    .action(async (first: string, second: string | undefined, opts: { json?: boolean }) => {
      const ctx = context();
      const layers = second === undefined ? [...LAYERS] : [parseLayer(first)];
      const results = await previewLayers(ctx, layers, env(second ?? first));
      emit(ctx, opts.json, results, () =>
        table([
          ["layer", "changes"],
          ...Object.entries(results).map(([l, r]) => [
            l,
            "error" in r ? `error: ${r.error}` : describeChanges(r),
          ]),
        ]),
      );
    });

  infra
    .command("down")
    .argument("<mode>", "soft (edge+compute), all (+foundation) or persistent (all data; asks to confirm)")
    .argument("<env>", "dev, staging or prod")
    .description("destroy stacks in reverse order")
    .action((mode: string, e: string) => down(context(), parseDownMode(mode), env(e)));

  infra
    .command("outputs")
    .argument("<layer>", LAYERS.join(", "))
    .argument("<env>", "dev, staging or prod")
    .option("--json", "JSON output (the default; kept for scripts)")
    .option("--show-secrets", "print secret outputs in clear")
    .description("show a stack's outputs as JSON")
    .action(async (layer: string, e: string, opts: { showSecrets?: boolean }) => {
      const ctx = context();
      printJson(ctx.io, plainOutputs(await outputs(ctx, parseLayer(layer), env(e)), opts.showSecrets));
    });

  infra
    .command("refresh")
    .argument("<layer>", LAYERS.join(", "))
    .argument("<env>", "dev, staging or prod")
    .description(
      "refresh a stack's state from the cloud (the program runs; images are checked in ECR, and a missing one fails it)",
    )
    .action(async (layer: string, e: string) => {
      await refresh(context(), parseLayer(layer), env(e));
    });

  infra
    .command("recover")
    .argument("<layer>", LAYERS.join(", "))
    .argument("<env>", "dev, staging or prod")
    .option("--json", "print the result as JSON")
    .description(
      "after an interrupted update: cancel it, refresh, and show the drift left (images gone from ECR fail it)",
    )
    .action(async (layer: string, e: string, opts: { json?: boolean }) => {
      const ctx = context();
      const parsed = parseLayer(layer);
      const environment = env(e);
      const result = await recover(ctx, parsed, environment);
      const { present, missing } = result.images;
      emit(
        ctx,
        opts.json,
        result,
        () =>
          `${result.diff ? `${result.diff}\n\n` : ""}` +
          `cancelled: ${result.cancelled ? "yes" : "nothing pending"}\nrefresh: ${describeChanges(result.refreshed)}\n` +
          (present.length + missing.length > 0
            ? `images in ECR: ${present.length} present, ${missing.length} missing\n`
            : "") +
          `drift (what up would change): ${describeChanges(result.drift)}\n` +
          `to converge, run: pnpm tradai infra up ${layer} ${e}`,
      );
      const gone = missingImagesError(parsed, environment, result.images);
      if (gone) throw gone;
    });

  infra
    .command("stack-init")
    .argument("<layer>", LAYERS.join(", "))
    .argument("<env>", "dev, staging or prod")
    .option(
      "--secrets-provider <provider>",
      "how stack secrets are encrypted: an awskms:// URL, or passphrase (needs PULUMI_CONFIG_PASSPHRASE " +
        "wherever the stack is used) (default: bootstrap's KMS key, awskms://alias/tradai-pulumi-secrets?region=<AWS_REGION>)",
    )
    .description("create a layer's stack for an environment in the state backend")
    .action(async (layer: string, e: string, opts: { secretsProvider?: string }) => {
      const ctx = context();
      const provider = await stackInit(ctx, parseLayer(layer), env(e), opts);
      ctx.io.err(`created stack ${e} of ${layer} (secrets: ${provider})`);
    });

  infra
    .command("verify-account")
    .argument("[env]", "compare with the account configured for this environment")
    .option("--json", "print the identity and the check as JSON")
    .description("show the AWS identity in use and check it against the environment's account")
    .action(async (e: string | undefined, opts: { json?: boolean }) => {
      const ctx = context();
      const environment = e === undefined ? undefined : env(e);
      const check = await checkAccount(ctx, environment);
      emit(ctx, opts.json, check, () => {
        const lines = [`account: ${check.identity.account}`, `arn:     ${check.identity.arn}`];
        if (environment && check.expected) {
          lines.push(`${environment}: account ${check.expected.accountId} (${check.expected.source})`);
        } else if (environment) {
          lines.push(
            `${environment}: no account configured (tradai:accountId or TRADAI_${environment.toUpperCase()}_ACCOUNT_ID)`,
          );
        }
        return lines.join("\n");
      });
      if (environment === "prod" && !check.expected) await guardProd(ctx, environment);
      if (check.matches === false && check.expected) {
        throw new CliError(
          `the AWS identity is in account ${check.identity.account}, ${environment} is account ${check.expected.accountId}`,
          "switch credentials (AWS_PROFILE) and retry",
        );
      }
    });

  infra
    .command("test")
    .description("run the infrastructure unit tests")
    .action(() => infraTest(context()));
  infra
    .command("lint")
    .description("lint the infrastructure code")
    .action(() => infraLint(context()));
  infra
    .command("typecheck")
    .description("typecheck every stack, components and policies")
    .action(() => infraTypecheck(context()));
  infra
    .command("check")
    .description("lint + typecheck + test")
    .action(() => infraCheck(context()));
}
