/** `ecr login`: Docker credentials for the environment's ECR registry (GetAuthorizationToken, 12 h). */

import type { CliContext } from "../context";
import { CliError } from "../errors";
import type { Environment } from "../platform";
import { guardProd } from "./account";
import { clientConfig } from "./region";

export interface EcrCredentials {
  registry: string;
  username: string;
  password: string;
  expiresAt?: string;
}

/** The registry endpoint and the user/password pair encoded in ECR's token (`AWS:<password>`). */
export async function ecrCredentials(ctx: CliContext): Promise<EcrCredentials> {
  const sdk = await import("@aws-sdk/client-ecr");
  const result = await new sdk.ECRClient(clientConfig(ctx.env)).send(
    new sdk.GetAuthorizationTokenCommand({}),
  );
  const data = result.authorizationData?.[0];
  if (!data?.authorizationToken || !data.proxyEndpoint)
    throw new CliError("ECR returned no authorization token");
  const decoded = Buffer.from(data.authorizationToken, "base64").toString("utf8");
  const colon = decoded.indexOf(":");
  if (colon < 0) throw new CliError("ECR returned a malformed authorization token");
  return {
    registry: data.proxyEndpoint.replace(/^https?:\/\//, ""),
    username: decoded.slice(0, colon),
    password: decoded.slice(colon + 1),
    ...(data.expiresAt ? { expiresAt: data.expiresAt.toISOString() } : {}),
  };
}

/** Logs Docker in to ECR (`docker login --password-stdin`, so the password never shows in `ps`). */
export async function ecrLogin(ctx: CliContext, env: Environment): Promise<EcrCredentials> {
  await guardProd(ctx, env);
  const credentials = await ecrCredentials(ctx);
  const code = await ctx.exec(
    "docker",
    ["login", "--username", credentials.username, "--password-stdin", credentials.registry],
    { input: credentials.password },
  );
  if (code !== 0) {
    throw new CliError(
      `docker login to ${credentials.registry} failed (exit ${code})`,
      "is the Docker daemon running?",
    );
  }
  return credentials;
}
