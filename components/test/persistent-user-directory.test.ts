import { UserDirectory } from "../src/persistent/user-directory";
import { capture, expectWellFormed, mockPulumi, resolve } from "./harness";

const POOL = "aws:cognito/userPool:UserPool";
const CLIENT = "aws:cognito/userPoolClient:UserPoolClient";
const DOMAIN = "aws:cognito/userPoolDomain:UserPoolDomain";

beforeAll(() =>
  mockPulumi({
    state: { [POOL]: (inputs) => ({ endpoint: `cognito-idp.eu-central-1.amazonaws.com/${inputs.name}` }) },
  }),
);

const urls = { callbackUrls: ["https://app/cb"], logoutUrls: ["https://app/"] };

describe("UserDirectory", () => {
  it("signs users in by email with TOTP MFA optional, a public PKCE client and the API's scopes", async () => {
    const c = await capture(
      (opts) => new UserDirectory("users", { poolName: "tradai-dev-users", ...urls }, opts),
    );
    expectWellFormed(c, "tradai:persistent:UserDirectory", "users");
    const pool = c.one(POOL, "users");
    expect(pool.inputs).toMatchObject({
      name: "tradai-dev-users",
      usernameAttributes: ["email"],
      deletionProtection: "INACTIVE",
      mfaConfiguration: "OPTIONAL",
      softwareTokenMfaConfiguration: { enabled: true },
      passwordPolicy: { minimumLength: 14 },
      adminCreateUserConfig: { allowAdminCreateUserOnly: true },
    });
    expect(pool.opts).not.toHaveProperty("protect");
    const server = c.one("aws:cognito/resourceServer:ResourceServer", "users-api");
    expect(server.inputs).toMatchObject({ identifier: "tradai-api", scopes: [{ scopeName: "v1" }] });
    const client = c.one(CLIENT, "users-web");
    expect(client.inputs).toMatchObject({
      userPoolId: "users-id",
      generateSecret: false,
      allowedOauthFlows: ["code"],
      allowedOauthScopes: ["openid", "email", "profile", "tradai-api/v1"],
      callbackUrls: ["https://app/cb"],
      logoutUrls: ["https://app/"],
      accessTokenValidity: 1,
    });
    // Cognito refuses a client scope its resource server does not define yet.
    expect(client.opts.dependsOn).toEqual([server.resource]);
    expect(c.ofType(DOMAIN)).toEqual([]);
    expect(await resolve(c.component.issuer)).toBe(
      "https://cognito-idp.eu-central-1.amazonaws.com/tradai-dev-users",
    );
  });

  it("requires MFA, protects the pool and adds the hosted sign-in domain when asked", async () => {
    const c = await capture(
      (opts) =>
        new UserDirectory(
          "prod-users",
          {
            poolName: "tradai-prod-users",
            ...urls,
            mfa: "ON",
            protectData: true,
            domainPrefix: "tradai-prod",
          },
          opts,
        ),
    );
    const pool = c.one(POOL, "prod-users");
    expect(pool.inputs).toMatchObject({ mfaConfiguration: "ON", deletionProtection: "ACTIVE" });
    expect(pool.opts).toMatchObject({ protect: true, retainOnDelete: true });
    expect(c.one(DOMAIN, "prod-users-signin").inputs).toEqual({
      userPoolId: "prod-users-id",
      domain: "tradai-prod",
    });
  });

  it("configures no software token when MFA is off", async () => {
    const c = await capture(
      (opts) => new UserDirectory("no-mfa", { poolName: "p", ...urls, mfa: "OFF" }, opts),
    );
    const pool = c.one(POOL, "no-mfa").inputs;
    expect(pool.mfaConfiguration).toBe("OFF");
    expect(pool).not.toHaveProperty("softwareTokenMfaConfiguration");
  });
});
