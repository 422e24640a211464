/**
 * `verify-account`: the AWS identity in use vs the account an environment lives in. Every command that
 * touches prod calls {@link guardProd} first, so a wrong profile cannot deploy to (or destroy) the wrong
 * account.
 *
 * The expected account comes from `stacks/persistent/Pulumi.<env>.yaml` key `tradai:accountId` (the same
 * key the layer programs' provider enforces), else from the environment variable `TRADAI_<ENV>_ACCOUNT_ID`.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import type { GetCallerIdentityCommandOutput } from "@aws-sdk/client-sts";
import { parse } from "yaml";
import type { CliContext } from "../context";
import { CliError, RefusedError } from "../errors";
import type { Environment } from "../platform";
import { clientConfig } from "./region";

export interface ConfiguredAccount {
  accountId: string;
  /** Where it was found (file path or variable name), for messages. */
  source: string;
}

export interface Identity {
  account: string;
  arn: string;
  userId: string;
}

export interface AccountCheck {
  identity: Identity;
  env?: Environment;
  expected?: ConfiguredAccount;
  /** `undefined` when no account is configured for the environment. */
  matches?: boolean;
}

/** Name of the environment variable that configures an environment's account. */
export const accountEnvVar = (env: Environment): string => `TRADAI_${env.toUpperCase()}_ACCOUNT_ID`;

/** The configured account of an environment, if any. */
export function configuredAccount(
  ctx: Pick<CliContext, "root" | "env">,
  env: Environment,
): ConfiguredAccount | undefined {
  const file = path.join(ctx.root, "stacks", "persistent", `Pulumi.${env}.yaml`);
  if (fs.existsSync(file)) {
    const doc: unknown = parse(fs.readFileSync(file, "utf8"));
    const config = (doc as { config?: Record<string, unknown> } | null)?.config;
    const value = config?.["tradai:accountId"];
    if (value !== undefined && value !== null) {
      const accountId = String(value);
      if (!/^\d{12}$/.test(accountId)) {
        throw new CliError(`${file}: tradai:accountId "${accountId}" is not a 12-digit AWS account id`);
      }
      return { accountId, source: path.relative(ctx.root, file) };
    }
  }
  const variable = accountEnvVar(env);
  const fromEnv = ctx.env[variable];
  if (fromEnv) {
    if (!/^\d{12}$/.test(fromEnv))
      throw new CliError(`${variable}="${fromEnv}" is not a 12-digit AWS account id`);
    return { accountId: fromEnv, source: variable };
  }
  return undefined;
}

/** STS GetCallerIdentity with the credentials the SDK finds. */
export async function callerIdentity(env: NodeJS.ProcessEnv): Promise<Identity> {
  const { STSClient, GetCallerIdentityCommand } = await import("@aws-sdk/client-sts");
  let result: GetCallerIdentityCommandOutput;
  try {
    result = await new STSClient(clientConfig(env)).send(new GetCallerIdentityCommand({}));
  } catch (error) {
    throw new CliError(
      `cannot determine the AWS identity: ${error instanceof Error ? error.message : String(error)}`,
      "configure credentials (AWS_PROFILE, or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY) and retry",
    );
  }
  return { account: result.Account ?? "", arn: result.Arn ?? "", userId: result.UserId ?? "" };
}

/** Compares the caller identity with the environment's configured account (when `env` is given). */
export async function checkAccount(ctx: CliContext, env?: Environment): Promise<AccountCheck> {
  const identity = await callerIdentity(ctx.env);
  if (!env) return { identity };
  const expected = configuredAccount(ctx, env);
  return {
    identity,
    env,
    ...(expected ? { expected, matches: expected.accountId === identity.account } : {}),
  };
}

/**
 * Refuses to continue against prod unless the AWS identity belongs to prod's configured account. A prod
 * environment with no configured account is refused too: there is nothing to check against.
 */
export async function guardProd(ctx: CliContext, env: Environment): Promise<void> {
  if (env !== "prod") return;
  const check = await checkAccount(ctx, env);
  if (!check.expected) {
    throw new RefusedError(
      "refusing to touch prod: no AWS account is configured for it",
      `set tradai:accountId in stacks/persistent/Pulumi.prod.yaml or ${accountEnvVar("prod")}`,
    );
  }
  if (!check.matches) {
    throw new RefusedError(
      `refusing to touch prod: the AWS identity ${check.identity.arn} is in account ${check.identity.account}, ` +
        `prod is account ${check.expected.accountId} (${check.expected.source})`,
      "switch to prod's credentials (AWS_PROFILE) and retry; check with: pnpm tradai infra verify-account prod",
    );
  }
}
