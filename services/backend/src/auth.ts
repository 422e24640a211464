/**
 * Bearer-token authentication with Cognito user pool tokens. API Gateway's Cognito authorizer already
 * checks tokens at the edge; the service verifies them again so that nothing reaching it through the ALB
 * or inside the VPC is trusted blindly.
 */

import { HttpError } from "@tradai/service-common";
import { CognitoJwtVerifier } from "aws-jwt-verify";
import { FetchError, JwtBaseError } from "aws-jwt-verify/error";
import type { Jwks } from "aws-jwt-verify/jwk";
import type { FastifyRequest } from "fastify";
import type { BackendConfig } from "./config";

/** The caller, as the verified token says. */
export interface Principal {
  sub: string;
  username: string | undefined;
  groups: string[];
}

/** Verifies a raw JWT and returns its payload, or throws. Injectable so tests can use their own keys. */
export interface TokenVerifier {
  verify(token: string): Promise<Record<string, unknown>>;
}

export interface CognitoSettings {
  userPoolId: string;
  clientIds: string[];
  tokenUse: "access" | "id";
  /** Scopes of which an access token must carry one. @default none */
  scopes?: string[];
}

/** The production verifier: JWKS fetched from the user pool's issuer and cached by aws-jwt-verify. */
export function cognitoVerifier(settings: CognitoSettings): TokenVerifier & { cacheJwks(jwks: Jwks): void } {
  const verifier = CognitoJwtVerifier.create({
    userPoolId: settings.userPoolId,
    tokenUse: settings.tokenUse,
    clientId: settings.clientIds,
    scope: settings.scopes && settings.scopes.length > 0 ? settings.scopes : null,
  });
  return {
    verify: async (token) => (await verifier.verify(token)) as Record<string, unknown>,
    // Seeds the JWKS cache (what aws-jwt-verify would otherwise download from the issuer).
    cacheJwks: (jwks) => verifier.cacheJwks(jwks),
  };
}

/** The verifier the service runs with, from its environment: `main` uses it, and so do the tests. */
export function verifierFromConfig(config: BackendConfig): ReturnType<typeof cognitoVerifier> {
  return cognitoVerifier({
    userPoolId: config.COGNITO_USER_POOL_ID,
    clientIds: config.COGNITO_CLIENT_IDS,
    tokenUse: config.COGNITO_TOKEN_USE,
    scopes: config.COGNITO_REQUIRED_SCOPES,
  });
}

declare module "fastify" {
  interface FastifyRequest {
    principal?: Principal;
  }
}

function unauthorized(message: string): HttpError {
  return new HttpError(401, message);
}

/** Resolves the request's principal from `Authorization: Bearer <jwt>`, or throws 401 (503 when the JWKS is unreachable). */
export async function authenticate(request: FastifyRequest, verifier: TokenVerifier): Promise<Principal> {
  const header = request.headers.authorization;
  const match = header ? /^Bearer\s+(\S+)$/i.exec(header) : null;
  if (!match?.[1]) throw unauthorized("missing bearer token");
  let payload: Record<string, unknown>;
  try {
    payload = await verifier.verify(match[1]);
  } catch (error) {
    if (error instanceof FetchError) {
      request.log.error({ err: error }, "could not fetch the user pool JWKS");
      throw new HttpError(503, "token verification unavailable");
    }
    if (error instanceof JwtBaseError) throw unauthorized(`invalid token: ${error.message}`);
    throw error;
  }
  const sub = payload.sub;
  if (typeof sub !== "string") throw unauthorized("invalid token: no subject");
  const username = payload.username ?? payload["cognito:username"];
  const groups = payload["cognito:groups"];
  return {
    sub,
    username: typeof username === "string" ? username : undefined,
    groups: Array.isArray(groups) ? groups.filter((g): g is string => typeof g === "string") : [],
  };
}
