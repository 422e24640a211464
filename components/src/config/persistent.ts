/** Stack configuration of the persistent layer (`stacks/persistent/Pulumi.<env>.yaml`, namespace `tradai`). */

import type { Environment } from "@tradai/contracts";
import { z } from "zod";
import { commonConfigShape } from "./common";
import { bool, int, json } from "./fields";
import { PROFILES } from "./profiles";

const RETENTION: Record<Environment, { artifacts: number; audit: number }> = {
  dev: { artifacts: 30, audit: 90 },
  staging: { artifacts: 90, audit: 365 },
  prod: { artifacts: 365, audit: 2555 },
};

export function persistentConfigSchema(env: Environment) {
  const profile = PROFILES[env];
  return z
    .object({
      ...commonConfigShape,
      /** Deletion protection, `protect` and retain-on-delete on everything that holds data. Default: prod only. */
      protectData: bool().default(profile.protectData),
      /** Point-in-time recovery on every table. Default on outside dev. */
      pointInTimeRecovery: bool().default(env !== "dev"),
      /** Days before noncurrent artifact versions expire. Default 30 / 90 / 365. */
      artifactRetentionDays: int(1, 3650).default(RETENTION[env].artifacts),
      /** Days audit logs (CloudTrail) are kept. Default 90 / 365 / 2555 (7 years). */
      auditLogRetentionDays: int(1, 3650).default(RETENTION[env].audit),
      /** Days before market data moves to Standard-IA. Default 90. */
      marketDataIaDays: int(30, 3650).default(90),
      /** Images each ECR repository keeps. Default 30. */
      ecrKeepImages: int(1, 1000).default(30),
      /**
       * Days an untagged image (a digest a newer push took the tag from) is kept, so a rollback to the
       * previous digest stays possible. Default 14.
       */
      ecrUntaggedDays: int(1, 365).default(14),
      /** OAuth callback URLs of the Cognito app client. Default the local web app. */
      cognitoCallbackUrls: json(z.array(z.url()).min(1)).default(["http://localhost:3000/auth/callback"]),
      /** OAuth logout URLs of the Cognito app client. */
      cognitoLogoutUrls: json(z.array(z.url()).min(1)).default(["http://localhost:3000/"]),
      /** Cognito MFA: `OFF`, `OPTIONAL` or `ON` (TOTP). Default `ON` in prod, else `OPTIONAL`. */
      mfa: z.enum(["OFF", "OPTIONAL", "ON"]).default(env === "prod" ? "ON" : "OPTIONAL"),
      /** Connect the CodeArtifact npm repository to the public npm registry upstream. Default true. */
      codeartifactNpmUpstream: bool().default(true),
    })
    .strict();
}

export type PersistentConfig = z.output<ReturnType<typeof persistentConfigSchema>>;
