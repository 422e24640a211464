import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { dataResourceOptions, formerType } from "../core/options";
import { API_ACCESS, API_RESOURCE_SERVER, API_SCOPES } from "../edge/api-access";

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
  /**
   * Prefix of the Cognito-hosted sign-in domain (`<prefix>.auth.<region>.amazoncognito.com`), where the
   * web client's authorization-code flow gets access tokens with the API's scopes. Globally unique per
   * region; may not contain `aws`, `amazon` or `cognito`. @default none (no hosted sign-in)
   */
  domainPrefix?: pulumi.Input<string>;
}

/**
 * The Cognito user pool that signs in platform users, the resource server that stands for the API (its
 * scopes are what the API Gateway authorizer and the backend require: {@link API_ACCESS}), and the app
 * client the web app signs in with. Email sign-in, strong passwords, no client secret (public SPA client
 * with PKCE), short-lived tokens.
 *
 * @example
 * new UserDirectory("users", { poolName: ctx.name("users"), callbackUrls, logoutUrls, protectData }, ctx.opts);
 */
export class UserDirectory extends pulumi.ComponentResource {
  readonly pool: aws.cognito.UserPool;
  readonly client: aws.cognito.UserPoolClient;
  readonly resourceServer: aws.cognito.ResourceServer;
  readonly domain: aws.cognito.UserPoolDomain | undefined;
  readonly issuer: pulumi.Output<string>;

  constructor(name: string, args: UserDirectoryArgs, opts?: pulumi.ComponentResourceOptions) {
    super("tradai:persistent:UserDirectory", name, {}, formerType("tradai:identity:UserDirectory", opts));
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
    this.resourceServer = new aws.cognito.ResourceServer(
      `${name}-api`,
      {
        userPoolId: this.pool.id,
        identifier: API_RESOURCE_SERVER.identifier,
        name: API_RESOURCE_SERVER.name,
        scopes: API_SCOPES.map((s) => ({ scopeName: s.name, scopeDescription: s.description })),
      },
      { parent: this },
    );
    this.domain =
      args.domainPrefix === undefined
        ? undefined
        : new aws.cognito.UserPoolDomain(
            `${name}-signin`,
            { userPoolId: this.pool.id, domain: args.domainPrefix },
            { parent: this },
          );
    this.client = new aws.cognito.UserPoolClient(
      `${name}-web`,
      {
        userPoolId: this.pool.id,
        generateSecret: false,
        allowedOauthFlowsUserPoolClient: true,
        allowedOauthFlows: ["code"],
        allowedOauthScopes: ["openid", "email", "profile", ...API_ACCESS.scopes],
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
      // Cognito refuses a client scope its resource server does not define yet.
      { parent: this, dependsOn: [this.resourceServer] },
    );
    this.issuer = pulumi.interpolate`https://${this.pool.endpoint}`;
    this.registerOutputs({
      userPoolId: this.pool.id,
      clientId: this.client.id,
      issuer: this.issuer,
      apiScopes: API_ACCESS.scopes,
    });
  }
}
