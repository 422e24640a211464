/**
 * What the planned API Gateway lets through, as a model that runs: the REST API's routes read from a
 * plan (resources, methods, the Cognito authorizer, integrations) and an authorizer that accepts exactly
 * the tokens API Gateway's `COGNITO_USER_POOLS` authorizer would for that method. Used by the edge/backend
 * pair test and by `tradai local`'s API proxy, so both enforce the plan's authorizer, not a copy of it.
 *
 * API Gateway's rules, as documented for REST API Cognito authorizers:
 * - the token (the identity source header, raw or after `Bearer `) must be a JWT signed by one of the
 *   authorizer's user pools (`providerArns`), issued by that pool and not expired;
 * - a method with `authorizationScopes` takes access tokens only, and the token's `scope` claim must hold
 *   at least one of them;
 * - a method without scopes takes ID tokens only;
 * - the app client is not checked (any client of the pool): the service behind it checks that.
 */
import { CognitoJwtVerifier } from "aws-jwt-verify";
import type { Jwks } from "aws-jwt-verify/jwk";

/** A planned resource, structurally (the offline plan's `PlannedResource` satisfies it). */
export interface PlanResourceLike {
  urn: string;
  type: string;
  name: string;
  inputs: Record<string, unknown>;
  propertyDependencies: Record<string, string[]>;
}

export const APIGW = {
  restApi: "aws:apigateway/restApi:RestApi",
  resource: "aws:apigateway/resource:Resource",
  method: "aws:apigateway/method:Method",
  integration: "aws:apigateway/integration:Integration",
  authorizer: "aws:apigateway/authorizer:Authorizer",
} as const;

/** The user pool an authorizer trusts. */
export interface TrustedPool {
  userPoolId: string;
  /** `https://cognito-idp.<region>.amazonaws.com/<pool id>`: the tokens' `iss`. */
  issuer: string;
}

/** What one method's Cognito authorizer accepts. */
export interface AuthorizerModel {
  pools: TrustedPool[];
  /** `access` when the method names scopes, else `id`. */
  tokenUse: "access" | "id";
  /** Scopes of which the token must carry one (access tokens only). */
  scopes: string[];
  /** Identity source header, lower-case (e.g. `authorization`). */
  header: string;
}

/** A route of the planned REST API. */
export interface ApiRoute {
  /** Resource path, e.g. `/v1/{proxy+}`. */
  path: string;
  /** `GET`, `ANY`, ... */
  httpMethod: string;
  /** The Cognito authorizer of the method; null for `authorization: NONE`. */
  authorizer: AuthorizerModel | null;
  /** The method's integration as planned (type, uri, request parameters), when there is one. */
  integration: { type: string; uri: unknown; requestParameters: Record<string, unknown> } | undefined;
}

/** `arn:aws:cognito-idp:<region>:<account>:userpool/<pool id>` -> the pool and its issuer. */
export function trustedPool(userPoolArn: string): TrustedPool {
  const match = /^arn:aws[\w-]*:cognito-idp:([a-z0-9-]+):\d{12}:userpool\/([\w-]+_[0-9A-Za-z]+)$/.exec(
    userPoolArn,
  );
  if (!match) throw new Error(`not a Cognito user pool ARN: "${userPoolArn}"`);
  const [, region, userPoolId] = match as unknown as [string, string, string];
  return { userPoolId, issuer: `https://cognito-idp.${region}.amazonaws.com/${userPoolId}` };
}

/** The model of a `COGNITO_USER_POOLS` authorizer with these inputs, for a method with these scopes. */
export function authorizerModel(
  authorizerInputs: Record<string, unknown>,
  authorizationScopes: readonly string[],
): AuthorizerModel {
  if (authorizerInputs.type !== "COGNITO_USER_POOLS") {
    throw new Error(
      `authorizer type ${String(authorizerInputs.type)} is not modelled (COGNITO_USER_POOLS only)`,
    );
  }
  const arns = authorizerInputs.providerArns;
  if (!Array.isArray(arns) || arns.length === 0 || !arns.every((a) => typeof a === "string")) {
    throw new Error(`authorizer providerArns must be known user pool ARNs, got ${JSON.stringify(arns)}`);
  }
  const source = String(authorizerInputs.identitySource ?? "method.request.header.Authorization");
  const header = /^method\.request\.header\.(.+)$/.exec(source)?.[1];
  if (!header) throw new Error(`authorizer identitySource "${source}" is not a request header`);
  return {
    pools: (arns as string[]).map(trustedPool),
    tokenUse: authorizationScopes.length > 0 ? "access" : "id",
    scopes: [...authorizationScopes],
    header: header.toLowerCase(),
  };
}

const stringList = (value: unknown): string[] =>
  Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : [];

/** Every route (method) of the planned REST APIs, with its authorizer model and integration. */
export function apiRoutesFromPlan(resources: readonly PlanResourceLike[]): ApiRoute[] {
  const byUrn = new Map(resources.map((r) => [r.urn, r]));
  const dep = (r: PlanResourceLike, input: string, type: string): PlanResourceLike | undefined =>
    (r.propertyDependencies[input] ?? []).map((u) => byUrn.get(u)).find((d) => d?.type === type);
  const pathOf = (resource: PlanResourceLike | undefined): string => {
    const parts: string[] = [];
    let current = resource;
    for (let guard = 0; current?.type === APIGW.resource && guard < 64; guard += 1) {
      parts.unshift(String(current.inputs.pathPart));
      current = dep(current, "parentId", APIGW.resource);
    }
    return `/${parts.join("/")}`;
  };
  const integrations = resources.filter((r) => r.type === APIGW.integration);
  return resources
    .filter((r) => r.type === APIGW.method)
    .map((method) => {
      const resource = dep(method, "resourceId", APIGW.resource);
      const httpMethod = String(method.inputs.httpMethod);
      let authorizer: AuthorizerModel | null = null;
      if (method.inputs.authorization === "COGNITO_USER_POOLS") {
        const auth = dep(method, "authorizerId", APIGW.authorizer);
        if (!auth) throw new Error(`method ${method.name} names no planned authorizer`);
        authorizer = authorizerModel(auth.inputs, stringList(method.inputs.authorizationScopes));
      } else if (method.inputs.authorization !== "NONE") {
        throw new Error(
          `method ${method.name}: authorization ${String(method.inputs.authorization)} is not modelled`,
        );
      }
      const integration = integrations.find(
        (i) =>
          resource !== undefined &&
          dep(i, "resourceId", APIGW.resource)?.urn === resource.urn &&
          ((i.propertyDependencies.httpMethod ?? []).includes(method.urn) ||
            i.inputs.httpMethod === httpMethod),
      );
      return {
        path: pathOf(resource),
        httpMethod,
        authorizer,
        integration: integration
          ? {
              type: String(integration.inputs.type),
              uri: integration.inputs.uri,
              requestParameters: (integration.inputs.requestParameters ?? {}) as Record<string, unknown>,
            }
          : undefined,
      };
    });
}

/** The authorizers of the plan's routes (methods behind Cognito), one per route. */
export function authorizersFromPlan(resources: readonly PlanResourceLike[]): AuthorizerModel[] {
  return apiRoutesFromPlan(resources).flatMap((r) => (r.authorizer ? [r.authorizer] : []));
}

/** The outcome of an authorization: the token's claims, or why API Gateway would answer 401. */
export type Authorization =
  | { ok: true; claims: Record<string, unknown> }
  | { ok: false; status: 401; reason: string };

/** Runs a model: checks a request's identity header as the planned authorizer would. */
export class ModelAuthorizer {
  private readonly verifier;

  /** `jwks`: each trusted pool's signing keys by pool id (a real deployment fetches them from the issuer). */
  constructor(
    readonly model: AuthorizerModel,
    jwks: Record<string, Jwks> = {},
  ) {
    const [first, ...rest] = model.pools.map((pool) => ({
      userPoolId: pool.userPoolId,
      tokenUse: model.tokenUse,
      // API Gateway does not restrict the app client.
      clientId: null,
      scope: model.tokenUse === "access" ? model.scopes : null,
    }));
    if (!first) throw new Error("an authorizer needs at least one user pool");
    this.verifier = CognitoJwtVerifier.create([first, ...rest]);
    for (const [userPoolId, keys] of Object.entries(jwks)) this.verifier.cacheJwks(keys, userPoolId);
  }

  /** Authorizes the request's headers (names in any case). */
  async authorize(headers: Record<string, string | string[] | undefined>): Promise<Authorization> {
    const entry = Object.entries(headers).find(([name]) => name.toLowerCase() === this.model.header);
    const raw = Array.isArray(entry?.[1]) ? entry[1][0] : entry?.[1];
    if (!raw) return { ok: false, status: 401, reason: `no ${this.model.header} header` };
    const token = raw.replace(/^Bearer\s+/i, "");
    try {
      return { ok: true, claims: (await this.verifier.verify(token)) as Record<string, unknown> };
    } catch (error) {
      return { ok: false, status: 401, reason: (error as Error).message };
    }
  }
}
