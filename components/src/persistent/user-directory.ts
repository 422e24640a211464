import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { dataResourceOptions } from "../core/options";

export interface UserDirectoryArgs {
  /** Physical user pool name. */
  poolName: string;
  /** OAuth callback URLs of the web client. */
  callbackUrls: string[];
  /** OAuth logout URLs of the web client. */
  logoutUrls: string[];
  /** `OFF`, `OPTIONAL` or `ON`; MFA uses TOTP apps (no SMS). @default "OPTIONAL" */
  mfa?: "OFF" | "OPTIONAL" | "ON";
  /** Deletion protection, `protect` and retain on delete. @default false */
  protectData?: boolean;
}

/**
 * The Cognito user pool that signs in platform users, and the app client the web app and the API
 * Gateway authorizer trust. Email sign-in, strong passwords, no client secret (public SPA client with
 * PKCE), short-lived tokens.
 *
 * @example
 * new UserDirectory("users", { poolName: ctx.name("users"), callbackUrls, logoutUrls, protectData }, ctx.opts);
 */
export class UserDirectory extends pulumi.ComponentResource {
  readonly pool: aws.cognito.UserPool;
  readonly client: aws.cognito.UserPoolClient;
  readonly issuer: pulumi.Output<string>;

  constructor(name: string, args: UserDirectoryArgs, opts?: pulumi.ComponentResourceOptions) {
    super("tradai:identity:UserDirectory", name, {}, opts);
    const protectData = args.protectData ?? false;
    const mfa = args.mfa ?? "OPTIONAL";
    this.pool = new aws.cognito.UserPool(
      name,
      {
        name: args.poolName,
        usernameAttributes: ["email"],
        autoVerifiedAttributes: ["email"],
        deletionProtection: protectData ? "ACTIVE" : "INACTIVE",
        mfaConfiguration: mfa,
        ...(mfa === "OFF" ? {} : { softwareTokenMfaConfiguration: { enabled: true } }),
        passwordPolicy: {
          minimumLength: 14,
          requireLowercase: true,
          requireUppercase: true,
          requireNumbers: true,
          requireSymbols: true,
          temporaryPasswordValidityDays: 3,
        },
        adminCreateUserConfig: { allowAdminCreateUserOnly: true },
        accountRecoverySetting: { recoveryMechanisms: [{ name: "verified_email", priority: 1 }] },
      },
      { parent: this, ...dataResourceOptions(protectData) },
    );
    this.client = new aws.cognito.UserPoolClient(
      `${name}-web`,
      {
        userPoolId: this.pool.id,
        generateSecret: false,
        allowedOauthFlowsUserPoolClient: true,
        allowedOauthFlows: ["code"],
        allowedOauthScopes: ["openid", "email", "profile"],
        supportedIdentityProviders: ["COGNITO"],
        callbackUrls: args.callbackUrls,
        logoutUrls: args.logoutUrls,
        explicitAuthFlows: ["ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
        preventUserExistenceErrors: "ENABLED",
        enableTokenRevocation: true,
        accessTokenValidity: 1,
        idTokenValidity: 1,
        refreshTokenValidity: 30,
        tokenValidityUnits: { accessToken: "hours", idToken: "hours", refreshToken: "days" },
      },
      { parent: this },
    );
    this.issuer = pulumi.interpolate`https://${this.pool.endpoint}`;
    this.registerOutputs({ userPoolId: this.pool.id, clientId: this.client.id, issuer: this.issuer });
  }
}
