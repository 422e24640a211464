/**
 * The edge and the backend agree on the token (issue 14, fault 1), read from their single sources: the
 * planned API Gateway authorizer (through the authorizer model `tradai local` runs too) and the backend's
 * own config schema and verifier, fed the environment the plan gives the `backend-api` task. A token of
 * the kind the authorizer accepts, for the plan's user pool and app client, must pass both; the other
 * kind must pass neither.
 */
import { ENVIRONMENTS, type Environment } from "@tradai/contracts";
import { planLayers } from "@tradai/plan";
import { verifierFromConfig } from "@tradai/service-backend/auth";
import { loadConfig } from "@tradai/service-backend/config";
import { type ApiRoute, apiRoutesFromPlan, ModelAuthorizer } from "@tradai/testing/authorizer";
import { cognitoToken, makeSigningKey } from "@tradai/testing/cognito-tokens";

interface Pair {
  route: ApiRoute;
  clientId: string;
  backendEnv: Record<string, string>;
}

/** The environment of the plan's `backend-api` container. */
function containerEnv(resources: { type: string; inputs: Record<string, unknown> }[], family: string) {
  const task = resources.find(
    (r) => r.type === "aws:ecs/taskDefinition:TaskDefinition" && String(r.inputs.family).endsWith(family),
  );
  if (!task) throw new Error(`no task definition of family *${family} in the compute plan`);
  const [container] = JSON.parse(String(task.inputs.containerDefinitions)) as {
    environment: { name: string; value: string }[];
  }[];
  return Object.fromEntries((container?.environment ?? []).map((e) => [e.name, e.value]));
}

const pairs: Partial<Record<Environment, Pair>> = {};
beforeAll(async () => {
  for (const env of ENVIRONMENTS) {
    const views = await planLayers(env, "edge");
    const routes = apiRoutesFromPlan(views.edge?.resources ?? []);
    const route = routes.find((r) => r.path === "/v1/{proxy+}");
    if (!route) throw new Error(`${env}: no /v1/{proxy+} route in the edge plan`);
    const cognito = (views.persistent?.outputs.cognito ?? {}) as { clientId: string };
    pairs[env] = {
      route,
      clientId: cognito.clientId,
      backendEnv: containerEnv(views.compute?.resources ?? [], "backend-api"),
    };
  }
}, 240_000);

describe.each(ENVIRONMENTS)("%s: API Gateway authorizer and backend-api accept the same token", (env) => {
  const key = makeSigningKey();
  const setup = () => {
    const { route, clientId, backendEnv } = pairs[env] as Pair;
    const model = route.authorizer;
    if (!model) throw new Error(`${env}: /v1/{proxy+} has no authorizer`);
    const [pool] = model.pools;
    if (!pool) throw new Error(`${env}: the authorizer trusts no user pool`);
    const authorizer = new ModelAuthorizer(model, { [pool.userPoolId]: key.jwks });
    // The backend exactly as main() builds it, from the environment the plan gives its task.
    const backend = verifierFromConfig(loadConfig(backendEnv));
    backend.cacheJwks(key.jwks);
    const backendAccepts = (token: string) =>
      backend.verify(token).then(
        () => true,
        () => false,
      );
    const authorizerAccepts = async (token: string) =>
      (await authorizer.authorize({ Authorization: `Bearer ${token}` })).ok;
    return { model, pool, clientId, authorizerAccepts, backendAccepts };
  };

  it("the authorizer takes access tokens with the API scope, the backend verifies access tokens", () => {
    const { model } = setup();
    expect({ tokenUse: model.tokenUse, scopes: model.scopes }).toEqual({
      tokenUse: "access",
      scopes: ["tradai-api/v1"],
    });
  });

  it("a token of the kind the authorizer accepts, for the plan's pool and client, passes both", async () => {
    const { model, pool, clientId, authorizerAccepts, backendAccepts } = setup();
    const token = cognitoToken(key, { pool, clientId, tokenUse: model.tokenUse, scopes: model.scopes });
    expect({ authorizer: await authorizerAccepts(token), backend: await backendAccepts(token) }).toEqual({
      authorizer: true,
      backend: true,
    });
  });

  it("the other kind of token passes neither", async () => {
    const { model, pool, clientId, authorizerAccepts, backendAccepts } = setup();
    const other = model.tokenUse === "access" ? "id" : "access";
    const token = cognitoToken(key, { pool, clientId, tokenUse: other, scopes: model.scopes });
    expect({ authorizer: await authorizerAccepts(token), backend: await backendAccepts(token) }).toEqual({
      authorizer: false,
      backend: false,
    });
  });

  it("an access token without the API scope or past its expiry passes neither", async () => {
    const { pool, clientId, authorizerAccepts, backendAccepts } = setup();
    const base = { pool, clientId, tokenUse: "access" as const };
    for (const token of [
      cognitoToken(key, { ...base, scopes: ["aws.cognito.signin.user.admin"] }),
      cognitoToken(key, { ...base, scopes: ["tradai-api/v1"], expiresIn: -60 }),
    ]) {
      expect({ authorizer: await authorizerAccepts(token), backend: await backendAccepts(token) }).toEqual({
        authorizer: false,
        backend: false,
      });
    }
  });

  it("API Gateway does not check the app client; the backend refuses another client's token", async () => {
    const { model, pool, authorizerAccepts, backendAccepts } = setup();
    const token = cognitoToken(key, {
      pool,
      clientId: "another-app-client",
      tokenUse: model.tokenUse,
      scopes: model.scopes,
    });
    expect({ authorizer: await authorizerAccepts(token), backend: await backendAccepts(token) }).toEqual({
      authorizer: true,
      backend: false,
    });
  });
});
