/**
 * How callers prove who they are to the public API: one definition read by the user pool (resource
 * server and the app client's allowed scopes), the API Gateway authorizer (method scopes) and the
 * backend's environment (token use and required scopes), so the edge and the service cannot disagree
 * on the token kind. Access tokens with a custom scope: an authorizer without scopes accepts only ID
 * tokens, which the backend refuses.
 */

/** The Cognito resource server that stands for the TradAI API. */
export const API_RESOURCE_SERVER = {
  /** The resource server identifier: the prefix of every scope (`tradai-api/<scope>`). */
  identifier: "tradai-api",
  name: "TradAI API",
} as const;

/** The API's scopes (short names) and what each grants. */
export const API_SCOPES = [{ name: "v1", description: "Call the /v1 API" }] as const;

/**
 * The token the API accepts: an access token carrying at least one of `scopes` (full names, as they
 * appear in the token's `scope` claim and in API Gateway's `authorizationScopes`).
 */
export const API_ACCESS = {
  tokenUse: "access",
  scopes: API_SCOPES.map((s) => `${API_RESOURCE_SERVER.identifier}/${s.name}`),
} as const satisfies { tokenUse: "access" | "id"; scopes: readonly string[] };
