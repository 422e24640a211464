/** The API Gateway authorizer model: API Gateway's documented rules for REST Cognito authorizers. */
import { authorizerModel, ModelAuthorizer, trustedPool } from "../src/authorizer";
import { cognitoToken, makeSigningKey } from "../src/cognito-tokens";

const ARN = "arn:aws:cognito-idp:eu-central-1:123456789012:userpool/eu-central-1_Abc123";
const inputs = {
  type: "COGNITO_USER_POOLS",
  providerArns: [ARN],
  identitySource: "method.request.header.Authorization",
};
const key = makeSigningKey();
const pool = trustedPool(ARN);

const accepts = async (scopes: string[], token: string, header = `Bearer ${token}`) => {
  const authorizer = new ModelAuthorizer(authorizerModel(inputs, scopes), { [pool.userPoolId]: key.jwks });
  return (await authorizer.authorize({ authorization: header })).ok;
};

describe("authorizer model", () => {
  it("derives the pool's issuer from its ARN", () => {
    expect(pool).toEqual({
      userPoolId: "eu-central-1_Abc123",
      issuer: "https://cognito-idp.eu-central-1.amazonaws.com/eu-central-1_Abc123",
    });
  });

  it("without method scopes takes ID tokens only", async () => {
    const id = cognitoToken(key, { pool, clientId: "c", tokenUse: "id" });
    const access = cognitoToken(key, { pool, clientId: "c", tokenUse: "access", scopes: ["api/v1"] });
    expect([await accepts([], id), await accepts([], access)]).toEqual([true, false]);
  });

  it("with method scopes takes access tokens carrying one of them, raw or as a bearer token", async () => {
    const scoped = cognitoToken(key, {
      pool,
      clientId: "c",
      tokenUse: "access",
      scopes: ["openid", "api/v1"],
    });
    const unscoped = cognitoToken(key, { pool, clientId: "c", tokenUse: "access", scopes: ["openid"] });
    const id = cognitoToken(key, { pool, clientId: "c", tokenUse: "id" });
    expect([
      await accepts(["api/v1"], scoped),
      await accepts(["api/v1"], scoped, scoped),
      await accepts(["api/v1"], unscoped),
      await accepts(["api/v1"], id),
    ]).toEqual([true, true, false, false]);
  });

  it("refuses another pool's, another key's and expired tokens", async () => {
    const other = trustedPool("arn:aws:cognito-idp:eu-central-1:123456789012:userpool/eu-central-1_Other1");
    const base = { clientId: "c", tokenUse: "access" as const, scopes: ["api/v1"] };
    expect([
      await accepts(["api/v1"], cognitoToken(key, { ...base, pool: other })),
      await accepts(["api/v1"], cognitoToken(makeSigningKey(key.kid), { ...base, pool })),
      await accepts(["api/v1"], cognitoToken(key, { ...base, pool, expiresIn: -5 })),
    ]).toEqual([false, false, false]);
  });

  it("names what it cannot model", () => {
    expect(() => authorizerModel({ ...inputs, type: "TOKEN" }, [])).toThrow(
      "authorizer type TOKEN is not modelled",
    );
    expect(() => authorizerModel({ ...inputs, providerArns: ["<computed>"] }, [])).toThrow(
      'not a Cognito user pool ARN: "<computed>"',
    );
  });
});
