/**
 * API Gateway's Cognito user pool authorizer, as planned: the model from `@tradai/testing/src/authorizer`
 * (shared with the edge/backend pair test), built per method from the plan's authorizer inputs and
 * scopes, verifying against the local identity provider's keys. Refusals carry API Gateway's 401 and
 * its messages.
 */
import { authorizerModel, ModelAuthorizer } from "@tradai/testing/authorizer";
import type { Jwks } from "aws-jwt-verify/jwk";
import type { ApiMethod, IdentitySpec, Topology } from "../topology";
import type { TokenRequest } from "./identity";

export type AuthorizerDecision =
  | { allow: true; claims: Record<string, unknown> }
  | { allow: false; status: number; message: string };

export function createCognitoAuthorizer(identity: IdentitySpec, jwks: () => Promise<Jwks>) {
  const models = new Map<ApiMethod, ModelAuthorizer>();
  return async function authorize(
    method: ApiMethod,
    headers: Record<string, string | string[] | undefined>,
  ): Promise<AuthorizerDecision> {
    if (!method.authorizer || method.authorization === "NONE") return { allow: true, claims: {} };
    let model = models.get(method);
    if (!model) {
      model = new ModelAuthorizer(authorizerModel(method.authorizer, method.authorizationScopes), {
        [identity.userPoolId]: await jwks(),
      });
      models.set(method, model);
    }
    const outcome = await model.authorize(headers);
    if (outcome.ok) return { allow: true, claims: outcome.claims };
    const expired = /expired/i.test(outcome.reason);
    return {
      allow: false,
      status: 401,
      message: expired ? "The incoming token has expired" : "Unauthorized",
    };
  };
}

/** The token the planned API accepts on its first authorized method: access with its scopes, or id. */
export function acceptedToken(topology: Pick<Topology, "api">): TokenRequest {
  const method = topology.api.methods.find((m) => m.authorizer && m.authorization !== "NONE");
  if (method && method.authorizationScopes.length > 0)
    return { kind: "access", scopes: method.authorizationScopes };
  return { kind: "id" };
}
