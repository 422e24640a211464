/**
 * Cognito-shaped JWTs signed with a key made here, and that key's JWKS: what a user pool would issue,
 * for tests and `tradai local` (which seed the JWKS into their verifiers instead of fetching it).
 */
import { createSign, generateKeyPairSync, type KeyObject, randomUUID } from "node:crypto";
import type { Jwk, Jwks } from "aws-jwt-verify/jwk";
import type { TrustedPool } from "./authorizer";

export interface SigningKey {
  kid: string;
  privateKey: KeyObject;
  jwks: Jwks;
}

/** A fresh RSA key and its JWKS (RS256, as Cognito signs). */
export function makeSigningKey(kid: string = randomUUID()): SigningKey {
  const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const jwk = publicKey.export({ format: "jwk" }) as Jwk;
  return { kid, privateKey, jwks: { keys: [{ ...jwk, kid, alg: "RS256", use: "sig" }] } };
}

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");

/** Signs `claims` as an RS256 JWT. */
export function signJwt(key: SigningKey, claims: Record<string, unknown>): string {
  const header = b64({ alg: "RS256", kid: key.kid, typ: "JWT" });
  const payload = b64(claims);
  const signature = createSign("RSA-SHA256")
    .update(`${header}.${payload}`)
    .sign(key.privateKey)
    .toString("base64url");
  return `${header}.${payload}.${signature}`;
}

export interface CognitoTokenOptions {
  pool: TrustedPool;
  clientId: string;
  /** `access` (OAuth scopes in `scope`) or `id` (`aud` is the client). */
  tokenUse: "access" | "id";
  /** Full scope names for an access token. @default [] */
  scopes?: readonly string[];
  sub?: string;
  username?: string;
  /** Seconds from now until `exp`; negative for an expired token. @default 3600 */
  expiresIn?: number;
  /** Extra or overriding claims. */
  claims?: Record<string, unknown>;
}

/** A token with the claims Cognito puts in an access or ID token of `pool` for `clientId`. */
export function cognitoToken(key: SigningKey, options: CognitoTokenOptions): string {
  const now = Math.floor(Date.now() / 1000);
  const sub = options.sub ?? "11111111-2222-3333-4444-555555555555";
  const username = options.username ?? "alice";
  const common = {
    sub,
    iss: options.pool.issuer,
    token_use: options.tokenUse,
    auth_time: now,
    iat: now,
    exp: now + (options.expiresIn ?? 3600),
    jti: randomUUID(),
  };
  const claims =
    options.tokenUse === "access"
      ? { ...common, client_id: options.clientId, scope: (options.scopes ?? []).join(" "), username }
      : { ...common, aud: options.clientId, "cognito:username": username, email: `${username}@example.com` };
  return signJwt(key, { ...claims, ...options.claims });
}
