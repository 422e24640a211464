/**
 * What API Gateway's Cognito user pool authorizer accepts, read from the plan: the token must be signed
 * by a planned user pool and unexpired; a method without authorization scopes accepts only ID tokens
 * (issued to one of the pool's app clients), a method with scopes only access tokens carrying one of
 * them. The app client is not checked here (the backend checks it). Refusals carry API Gateway's status
 * and message.
 */
import { JwtRsaVerifier } from "aws-jwt-verify";
import { JwtExpiredError } from "aws-jwt-verify/error";
import type { Jwks } from "aws-jwt-verify/jwk";
import type { ApiMethod, IdentitySpec, Topology } from "../topology";
import type { TokenRequest } from "./identity";

export type AuthorizerDecision =
  | { allow: true; claims: Record<string, unknown> }
  | { allow: false; status: number; message: string };

const UNAUTHORIZED = { allow: false, status: 401, message: "Unauthorized" } as const;

export function createCognitoAuthorizer(identity: IdentitySpec, jwks: () => Promise<Jwks>) {
  return async function authorize(
    method: ApiMethod,
    header: string | undefined,
  ): Promise<AuthorizerDecision> {
    const authorizer = method.authorizer;
    if (!authorizer || method.authorization === "NONE") return { allow: true, claims: {} };
    if (authorizer.type !== "COGNITO_USER_POOLS")
      return { allow: false, status: 500, message: `authorizer type ${authorizer.type} is not emulated` };
    if (!header) return UNAUTHORIZED;
    const token = header.replace(/^Bearer\s+/i, "");
    // The pools the authorizer trusts are its provider ARNs; the local identity provider signs for the plan's pool.
    const pools = authorizer.providerArns.map((arn) => arn.split("/").pop() ?? arn);
    if (!pools.includes(identity.userPoolId)) return UNAUTHORIZED;
    const scoped = method.authorizationScopes.length > 0;
    const verifier = JwtRsaVerifier.create({
      issuer: identity.issuer,
      jwksUri: `${identity.issuer}/.well-known/jwks.json`,
      audience: null,
      ...(scoped ? { scope: method.authorizationScopes } : {}),
    });
    verifier.cacheJwks(await jwks());
    try {
      const claims = (await verifier.verify(token)) as Record<string, unknown>;
      const tokenUse = claims.token_use;
      if (scoped ? tokenUse !== "access" : tokenUse !== "id") return UNAUTHORIZED;
      return { allow: true, claims };
    } catch (error) {
      if (error instanceof JwtExpiredError)
        return { allow: false, status: 401, message: "The incoming token has expired" };
      return UNAUTHORIZED;
    }
  };
}

/** The token the planned API accepts on its first authorized method: access with its scopes, or id. */
export function acceptedToken(topology: Pick<Topology, "api">): TokenRequest {
  const method = topology.api.methods.find((m) => m.authorizer && m.authorization !== "NONE");
  if (method && method.authorizationScopes.length > 0)
    return { kind: "access", scopes: method.authorizationScopes };
  return { kind: "id" };
}
