/** Test tokens: an RSA key pair made here, its JWKS, and Cognito-shaped JWTs signed with it. */
import { createSign, generateKeyPairSync, type KeyObject } from "node:crypto";
import { TEST_REGION } from "@tradai/testing";
import type { Jwk, Jwks } from "aws-jwt-verify/jwk";

export const USER_POOL_ID = `${TEST_REGION}_TestPool1`;
export const CLIENT_ID = "test-app-client";
export const ISSUER = `https://cognito-idp.${TEST_REGION}.amazonaws.com/${USER_POOL_ID}`;

export interface TestKey {
  kid: string;
  privateKey: KeyObject;
  jwks: Jwks;
}

export function makeKey(kid: string): TestKey {
  const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const jwk = publicKey.export({ format: "jwk" }) as Jwk;
  return { kid, privateKey, jwks: { keys: [{ ...jwk, kid, alg: "RS256", use: "sig" }] } };
}

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");

/** A Cognito access token for `sub`, valid for an hour unless claims say otherwise. */
export function accessToken(key: TestKey, claims: Record<string, unknown> = {}): string {
  const now = Math.floor(Date.now() / 1000);
  const header = b64({ alg: "RS256", kid: key.kid, typ: "JWT" });
  const payload = b64({
    sub: "user-1",
    iss: ISSUER,
    client_id: CLIENT_ID,
    token_use: "access",
    scope: "aws.cognito.signin.user.admin",
    username: "alice",
    iat: now,
    exp: now + 3600,
    ...claims,
  });
  const signature = createSign("RSA-SHA256")
    .update(`${header}.${payload}`)
    .sign(key.privateKey)
    .toString("base64url");
  return `${header}.${payload}.${signature}`;
}
